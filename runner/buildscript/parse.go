package buildscript

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
)

// Instructions are what a build script asked for on its stdout.
type Instructions struct {
	Flags    []string // rustc arguments: --cfg=, --check-cfg=, -L, -l
	Env      []string // NAME=VALUE for the crate's compile (rustc-env)
	Warnings []string
}

// ParseOptions says how to read a script's output.
type ParseOptions struct {
	// Target is the triple the crate is built for; a wasm32 target has no
	// native libraries to link.
	Target string
	// Crate names the crate in messages.
	Crate string
	// OutDir is the OUT_DIR the script saw and Final what it becomes: each
	// mention of OutDir in a value is replaced by Final. Empty: no change.
	OutDir, Final string
}

// linkSearchKinds are the kinds rustc's -L accepts.
var linkSearchKinds = map[string]bool{"native": true, "dependency": true, "crate": true, "framework": true, "all": true}

// Parse reads a build script's stdout. It understands both the
// "cargo:KEY=VALUE" form and the newer "cargo::KEY=VALUE" one. Other
// lines are the script's own chatter; an unknown key in the old form is
// metadata for the dependents of a "links" crate, ignored here; an unknown
// key in the new form is an error, as it is for cargo.
func Parse(stdout []byte, opt ParseOptions) (*Instructions, error) {
	ins := &Instructions{}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSuffix(sc.Text(), "\r")
		var rest string
		var strict bool
		switch {
		case strings.HasPrefix(line, "cargo::"):
			rest, strict = line[len("cargo::"):], true
		case strings.HasPrefix(line, "cargo:"):
			rest = line[len("cargo:"):]
		default:
			continue
		}
		key, value, ok := strings.Cut(rest, "=")
		if !ok {
			return nil, fmt.Errorf("stdout line %d %q: want cargo:KEY=VALUE", n, line)
		}
		value = strings.TrimRight(value, " \t")
		if opt.OutDir != "" && opt.OutDir != opt.Final {
			value = strings.ReplaceAll(value, opt.OutDir, opt.Final)
		}
		if err := ins.add(key, value, strict, opt); err != nil {
			return nil, fmt.Errorf("stdout line %d %q: %w", n, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading its stdout: %w", err)
	}
	return ins, nil
}

func (ins *Instructions) add(key, value string, strict bool, opt ParseOptions) error {
	switch key {
	case "rustc-cfg":
		if value == "" {
			return fmt.Errorf("empty cfg")
		}
		ins.Flags = append(ins.Flags, "--cfg="+value)
	case "rustc-check-cfg":
		ins.Flags = append(ins.Flags, "--check-cfg="+value)
	case "rustc-env":
		name, _, ok := strings.Cut(value, "=")
		if !ok || name == "" {
			return fmt.Errorf("want rustc-env=NAME=VALUE")
		}
		ins.Env = append(ins.Env, value)
	case "rustc-link-lib":
		return ins.linkLib(value, opt)
	case "rustc-link-search":
		return ins.linkSearch(value)
	case "rustc-flags":
		return ins.rustcFlags(value, opt)
	case "warning":
		ins.Warnings = append(ins.Warnings, value)
	case "error":
		if !strict {
			return nil // old form: metadata named "error"
		}
		return fmt.Errorf("the script reports an error: %s", value)
	case "rerun-if-changed", "rerun-if-env-changed", "metadata":
		// Bazel tracks inputs itself; metadata is for "links" dependents.
	case "rustc-link-arg", "rustc-link-arg-bins", "rustc-link-arg-bin", "rustc-link-arg-tests",
		"rustc-link-arg-examples", "rustc-link-arg-benches", "rustc-link-arg-cdylib", "rustc-cdylib-link-arg":
		// Link arguments are for the package's linked targets, not for
		// the library this script builds for.
	default:
		if strict {
			return fmt.Errorf("unknown key %q", key)
		}
	}
	return nil
}

// linkLib takes [KIND[:MODIFIERS]=]NAME[:RENAME].
func (ins *Instructions) linkLib(value string, opt ParseOptions) error {
	lib := value
	if _, name, ok := strings.Cut(value, "="); ok {
		lib = name
	}
	if lib == "" {
		return fmt.Errorf("empty library name")
	}
	if strings.HasPrefix(opt.Target, "wasm32") {
		return fmt.Errorf("crate %s asks to link the native library %q, which target %s cannot link", opt.Crate, lib, opt.Target)
	}
	ins.Flags = append(ins.Flags, "-l"+value)
	return nil
}

// linkSearch takes [KIND=]PATH; no kind means native.
func (ins *Instructions) linkSearch(value string) error {
	if kind, _, ok := strings.Cut(value, "="); ok && linkSearchKinds[kind] {
		ins.Flags = append(ins.Flags, "-L"+value)
		return nil
	}
	if value == "" {
		return fmt.Errorf("empty search path")
	}
	ins.Flags = append(ins.Flags, "-Lnative="+value)
	return nil
}

// rustcFlags takes "-l NAME", "-lNAME", "-L PATH" and "-LPATH", separated
// by white space; cargo allows nothing else there.
func (ins *Instructions) rustcFlags(value string, opt ParseOptions) error {
	words := strings.Fields(value)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w != "-l" && w != "-L" && !strings.HasPrefix(w, "-l") && !strings.HasPrefix(w, "-L") {
			return fmt.Errorf("rustc-flags allows only -l and -L, not %q", w)
		}
		flag, arg := w[:2], w[2:]
		if arg == "" {
			if i+1 == len(words) {
				return fmt.Errorf("rustc-flags: %s without a value", flag)
			}
			i++
			arg = words[i]
		}
		var err error
		if flag == "-l" {
			err = ins.linkLib(arg, opt)
		} else {
			err = ins.linkSearch(arg)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
