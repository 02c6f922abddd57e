package rustc

// What a native rustc read. The runner cannot confine a native rustc (see
// Request.Inputs), but rustc lists in its dep-info every source file it
// read (the crate's modules, #[path] ones, and what include!, include_str!
// and include_bytes! name, whether the crate or a macro's output wrote
// them) and, on "# env-dep:" lines, every variable env! and option_env!
// asked for, set or not; rustc 1.63 and 1.95 alike, paths as rustc opened
// them (relative to its working directory unless absolute; not remapped).
// The runner has rustc write its dep-info and fails a compile that read a
// file outside the working directory, an undeclared one below it, or a
// variable the action does not declare, before its outputs are put in
// place.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// errDepInfoWithoutPath is the error for an --emit that asks for dep-info
// in rustc's default place, which the runner cannot tell.
var errDepInfoWithoutPath = errors.New("rustc's --emit asks for dep-info without a path: the runner reads a native rustc's dep-info to check the files it read; name the file (--emit=dep-info=PATH)")

// emitValues are the values of rustc's --emit options in args.
func emitValues(args []string) []string {
	var vals []string
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--emit" && i+1 < len(args):
			i++
			vals = append(vals, args[i])
		case strings.HasPrefix(a, "--emit="):
			vals = append(vals, strings.TrimPrefix(a, "--emit="))
		}
	}
	return vals
}

// emitted reports whether args ask rustc to emit kind (dep-info,
// metadata, link, ...), and where ("" is rustc's default place). A later
// --emit of a kind replaces an earlier one, in rustc as here.
func emitted(args []string, kind string) (path string, asked bool) {
	for _, v := range emitValues(args) {
		for _, kp := range strings.Split(v, ",") {
			if k, p, _ := strings.Cut(kp, "="); k == kind {
				path, asked = p, true
			}
		}
	}
	return path, asked
}

// withDepInfo makes rustc write its dep-info where the runner can read it:
// where args already ask for it, or else into a directory of the runner's
// own, inside the staging directory when there is one (so that a killed
// runner's goes with it), which remove deletes. dir is the absolute working
// directory. The path does not change what rustc writes into the outputs
// (rustc 1.63 and 1.95; asking for dep-info at all does).
func withDepInfo(args []string, dir string, st *action.Staging) (out []string, path string, remove func(), err error) {
	if p, asked := emitted(args, "dep-info"); asked {
		if p == "" {
			return nil, "", nil, errDepInfoWithoutPath
		}
		return args, action.Resolve(dir, p), func() {}, nil
	}
	base := os.TempDir()
	if ds := st.Dirs(); len(ds) > 0 {
		base = action.Resolve(dir, ds[0]) // an --out may be absolute
	}
	tmp, err := os.MkdirTemp(base, "dep-info-")
	if err != nil {
		return nil, "", nil, fmt.Errorf("rustc's dep-info: %w", err)
	}
	if tmp, err = filepath.Abs(tmp); err != nil {
		os.RemoveAll(tmp)
		return nil, "", nil, err
	}
	path = filepath.Join(tmp, "rustc.d")
	emit := "--emit=dep-info=" + path
	if len(emitValues(args)) == 0 {
		// rustc's default is link: an --emit of the runner's alone would
		// replace it.
		emit = "--emit=link,dep-info=" + path
	}
	return append(args, emit), path, func() { os.RemoveAll(tmp) }, nil
}

// depInfo is what rustc's dep-info lists.
type depInfo struct {
	files []string // the files rustc read, as it wrote them; sorted, unique
	env   []string // the variables env! and option_env! asked for; sorted, unique
}

// parseDepInfo reads dep-info as rustc writes it: rules "TARGET: FILE...",
// one "FILE:" for each file, and "# env-dep:NAME[=VALUE]" lines; a space
// in a path is "\ ", nothing else is escaped.
func parseDepInfo(b []byte) depInfo {
	files, env := map[string]bool{}, map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "# env-dep:"); ok {
			name, _, _ := strings.Cut(rest, "=")
			env[name] = true
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// "FILE:": a colon-space in FILE would be ":\ ".
		if file, ok := strings.CutSuffix(line, ":"); ok && !strings.Contains(file, ": ") {
			files[strings.ReplaceAll(file, `\ `, " ")] = true
			continue
		}
		if _, deps, ok := strings.Cut(line, ": "); ok {
			for _, f := range splitDeps(deps) {
				files[f] = true
			}
		}
	}
	return depInfo{files: sortedKeys(files), env: sortedKeys(env)}
}

// splitDeps splits a rule's files at the spaces that are not escaped.
func splitDeps(s string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == ' ':
			cur.WriteByte(' ')
			i++
		case s[i] == ' ':
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteByte(s[i])
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// UndeclaredReadError is a file a native rustc read that the compile does
// not declare.
type UndeclaredReadError struct {
	// Path is relative to the working directory, or absolute when it is
	// outside it.
	Path    string
	Outside bool     // outside the working directory: no declaration can name it
	More    []string // the other undeclared files rustc read, as Path
}

func (e *UndeclaredReadError) Error() string {
	msg := fmt.Sprintf("rustc read %s, which is not among the compile's declared inputs; a macro or include_str!/include_bytes!/include! ", e.Path)
	if e.Outside {
		msg += "reached outside the sandbox (the file is outside the working directory, where no input can be)"
	} else {
		msg += "reached past them (if the crate means to read it, add it to srcs or compile_data)"
	}
	if len(e.More) > 0 {
		msg += "; it also read " + strings.Join(e.More, ", ")
	}
	return msg
}

// UndeclaredEnvError is a variable a native rustc read (env!, option_env!)
// that it had from the runner, not from the action.
type UndeclaredEnvError struct {
	Name string
}

func (e *UndeclaredEnvError) Error() string {
	return fmt.Sprintf("rustc read the environment variable %s, which the action does not declare (the runner passes it for rustc and its linker, or for its own use); env! or option_env!, of the crate or of a macro's output, would embed it: if the crate means to read it, set it in rustc_env", e.Name)
}

// declaredInputs are the compile's declared inputs, relative to the
// working directory and clean, when the request lists them (Inputs, to
// which Macros.Inputs add); nil when it does not. Without a list (the
// rules give one only to native compiles that expand wasm macros) the
// runner cannot tell an undeclared file below the working directory from a
// declared one; Bazel's sandbox holds only declared ones there.
func declaredInputs(req Request) map[string]bool {
	if req.Inputs == nil {
		return nil
	}
	set := map[string]bool{}
	for _, p := range append(append([]string(nil), req.Inputs...), req.Macros.Inputs...) {
		set[filepath.Clean(p)] = true
	}
	return set
}

// checkReads checks the dep-info at path, which a native rustc in dir (the
// absolute working directory) wrote for req: every file it lists must be
// below dir and, when the request lists its inputs, declared; no variable
// it lists may be one of undeclaredEnv, those rustc had from the runner.
// No dep-info is no error: rustc did not compile a crate (--print), or the
// compiler is not rustc.
func checkReads(req Request, dir, path string, undeclaredEnv map[string]bool) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rustc's dep-info: %w", err)
	}
	d := parseDepInfo(b)
	declared := declaredInputs(req)
	var outside, below []string
	for _, f := range d.files {
		abs := filepath.Clean(action.Resolve(dir, f))
		if !hostpath.Below(abs, dir) {
			outside = append(outside, abs)
			continue
		}
		// A declared input may be a directory (a build script's OUT_DIR,
		// a tree artifact): what lies below it is declared too.
		rel, _ := filepath.Rel(dir, abs)
		if declared != nil && !hostpath.BelowAny(declared, rel) {
			below = append(below, rel)
		}
	}
	if undeclared := append(outside, below...); len(undeclared) > 0 {
		return &UndeclaredReadError{Path: undeclared[0], Outside: len(outside) > 0, More: undeclared[1:]}
	}
	for _, name := range d.env {
		if undeclaredEnv[name] {
			return &UndeclaredEnvError{Name: name}
		}
	}
	return nil
}
