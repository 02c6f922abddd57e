package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// A hand-written check of rust-project.json against rust-analyzer's
// documented format ("Non-Cargo Based Projects"): the fields this tool
// writes, their types, and what must hold between them.

// topLevelFields are the documented top-level fields.
var topLevelFields = map[string]bool{
	"sysroot": true, "sysroot_src": true, "sysroot_project": true,
	"cfg_groups": true, "crates": true, "runnables": true,
}

// crateFields are the documented fields of a crate.
var crateFields = map[string]bool{
	"display_name": true, "root_module": true, "edition": true, "version": true,
	"deps": true, "is_workspace_member": true, "source": true, "cfg_groups": true,
	"cfg": true, "target": true, "env": true, "is_proc_macro": true,
	"proc_macro_dylib_path": true, "repository": true, "build": true,
}

var (
	editions  = map[string]bool{"2015": true, "2018": true, "2021": true, "2024": true}
	crateName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// A cfg is an atom (`test`) or a key and a quoted value (`feature="std"`).
	cfgAtom = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(="([^"\\]|\\.)*")?$`)
)

// ValidateOptions says how much Validate checks beyond the format.
type ValidateOptions struct {
	// FilesExist: roots, include dirs, the sysroot and proc-macro dylibs
	// must exist on this machine.
	FilesExist bool
}

// Validate checks a rust-project.json and returns every problem found.
func Validate(data []byte, opt ValidateOptions) []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	var top map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&top); err != nil {
		return []error{fmt.Errorf("not a JSON object: %v", err)}
	}
	if top == nil {
		return []error{fmt.Errorf("not a JSON object: null")}
	}
	// rust-analyzer reads one value; what follows it is not part of the
	// project and means the file is not what was meant.
	if _, err := dec.Token(); err != io.EOF {
		bad("trailing data after the JSON object (at byte %d)", dec.InputOffset())
	}
	for k := range top {
		if !topLevelFields[k] {
			bad("unknown top-level field %q", k)
		}
	}
	for _, k := range []string{"sysroot", "sysroot_src"} {
		if raw, ok := top[k]; ok {
			var s string
			if json.Unmarshal(raw, &s) != nil || !filepath.IsAbs(s) {
				bad("%s: want an absolute path", k)
			} else if opt.FilesExist && !isDir(s) {
				bad("%s: %s is not a directory", k, s)
			}
		}
	}
	raw, ok := top["crates"]
	if !ok {
		return append(errs, fmt.Errorf("no crates field"))
	}
	var crates []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &crates); err != nil {
		return append(errs, fmt.Errorf("crates: want an array of objects: %v", err))
	}
	if crates == nil {
		return append(errs, fmt.Errorf("crates: want an array of objects, have null"))
	}
	for i, c := range crates {
		where := fmt.Sprintf("crates[%d]", i)
		if c == nil {
			bad("%s: want an object, have null", where)
			continue
		}
		var name string
		if raw, ok := c["display_name"]; ok {
			if json.Unmarshal(raw, &name) != nil {
				bad("%s.display_name: want a string", where)
			}
			where += " (" + name + ")"
		}
		for k := range c {
			if !crateFields[k] {
				bad("%s: unknown field %q", where, k)
			}
		}
		var root string
		if err := field(c, "root_module", &root, true); err != nil {
			bad("%s.%v", where, err)
		} else if !filepath.IsAbs(root) || !strings.HasSuffix(root, ".rs") {
			bad("%s.root_module: want the absolute path of a .rs file, have %q", where, root)
		} else if opt.FilesExist && !isFile(root) {
			bad("%s.root_module: %s does not exist", where, root)
		}
		var edition string
		if err := field(c, "edition", &edition, true); err != nil {
			bad("%s.%v", where, err)
		} else if !editions[edition] {
			bad("%s.edition: %q is not 2015, 2018, 2021 or 2024", where, edition)
		}
		var deps []map[string]json.RawMessage
		if err := field(c, "deps", &deps, true); err != nil {
			bad("%s.%v", where, err)
		}
		names := map[string]bool{}
		for j, d := range deps {
			var idx int
			var dname string
			if err := field(d, "crate", &idx, true); err != nil {
				bad("%s.deps[%d].%v", where, j, err)
			} else if idx < 0 || idx >= len(crates) {
				bad("%s.deps[%d].crate: %d is out of range (%d crates)", where, j, idx, len(crates))
			} else if idx == i {
				bad("%s.deps[%d]: the crate depends on itself", where, j)
			}
			if err := field(d, "name", &dname, true); err != nil {
				bad("%s.deps[%d].%v", where, j, err)
			} else if !crateName.MatchString(dname) {
				bad("%s.deps[%d].name: %q is not a crate name", where, j, dname)
			} else if names[dname] {
				bad("%s.deps[%d].name: %q twice", where, j, dname)
			}
			names[dname] = true
			for k := range d {
				if k != "crate" && k != "name" {
					bad("%s.deps[%d]: unknown field %q", where, j, k)
				}
			}
		}
		var cfg []string
		if err := field(c, "cfg", &cfg, true); err != nil {
			bad("%s.%v", where, err)
		}
		for _, v := range cfg {
			if !cfgAtom.MatchString(v) {
				bad("%s.cfg: %q is neither `name` nor `key=\"value\"`", where, v)
			}
		}
		var env map[string]string
		if err := field(c, "env", &env, true); err != nil {
			bad("%s.%v", where, err)
		}
		var isMember, isProcMacro bool
		if err := field(c, "is_workspace_member", &isMember, false); err != nil {
			bad("%s.%v", where, err)
		}
		if err := field(c, "is_proc_macro", &isProcMacro, true); err != nil {
			bad("%s.%v", where, err)
		}
		var dylib, target string
		if err := field(c, "proc_macro_dylib_path", &dylib, false); err != nil {
			bad("%s.%v", where, err)
		} else if dylib != "" {
			if !isProcMacro {
				bad("%s.proc_macro_dylib_path: set, but is_proc_macro is not", where)
			}
			if !filepath.IsAbs(dylib) {
				bad("%s.proc_macro_dylib_path: want an absolute path, have %q", where, dylib)
			} else if opt.FilesExist && !isFile(dylib) {
				bad("%s.proc_macro_dylib_path: %s does not exist", where, dylib)
			}
		}
		if err := field(c, "target", &target, false); err != nil {
			bad("%s.%v", where, err)
		}
		if raw, ok := c["source"]; ok {
			var src struct {
				IncludeDirs *[]string `json:"include_dirs"`
				ExcludeDirs *[]string `json:"exclude_dirs"`
			}
			if err := json.Unmarshal(raw, &src); err != nil {
				bad("%s.source: %v", where, err)
			} else if src.IncludeDirs == nil || src.ExcludeDirs == nil {
				bad("%s.source: want include_dirs and exclude_dirs", where)
			} else {
				covered := false
				for _, d := range *src.IncludeDirs {
					if !filepath.IsAbs(d) {
						bad("%s.source.include_dirs: want absolute paths, have %q", where, d)
					}
					if root != "" && hostpath.Below(root, d) {
						covered = true
					}
				}
				if root != "" && !covered {
					bad("%s.source.include_dirs: none holds root_module %s", where, root)
				}
			}
		}
	}
	return errs
}

// field decodes c[name] into v; a missing field is an error when required.
func field(c map[string]json.RawMessage, name string, v any, required bool) error {
	raw, ok := c[name]
	if !ok {
		if required {
			return fmt.Errorf("%s: missing", name)
		}
		return nil
	}
	if string(raw) == "null" {
		return fmt.Errorf("%s: null", name)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}
