package buildscript

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
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
	c := newCapture(true)
	c.Write(stdout)
	lines, err := c.instructions()
	if err != nil {
		return nil, err
	}
	return parseInstructions(lines, opt)
}

// parseInstructions reads the "cargo:" lines of a script's stdout. What
// they ask for becomes rustc arguments and environment, one value a line
// in the files the compile reads: a value may hold no control character
// (a line break would make two arguments of one) and must be UTF-8.
func parseInstructions(lines []instruction, opt ParseOptions) (*Instructions, error) {
	ins := &Instructions{}
	for _, l := range lines {
		line := strings.TrimSuffix(l.text, "\r")
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
			return nil, fmt.Errorf("stdout line %d %s: want cargo:KEY=VALUE", l.n, shorten(line))
		}
		value = strings.TrimRight(value, " \t")
		if err := checkText(key, value); err != nil {
			return nil, fmt.Errorf("stdout line %d %s: %w", l.n, shorten(line), err)
		}
		value = replaceOutDir(value, opt.OutDir, opt.Final)
		if err := ins.add(key, value, strict, opt); err != nil {
			return nil, fmt.Errorf("stdout line %d %s: %w", l.n, shorten(line), err)
		}
	}
	ins.Env = LastOfEachName(ins.Env)
	return ins, nil
}

// passedOn are the keys whose values reach the compile.
var passedOn = map[string]bool{
	"rustc-cfg": true, "rustc-check-cfg": true, "rustc-env": true,
	"rustc-link-lib": true, "rustc-link-search": true, "rustc-flags": true,
}

// checkText refuses, in what reaches the compile, what cannot stay one
// argument or one variable: a control character, or bytes that are not
// UTF-8. (Warnings and errors are only printed, through Printable.)
func checkText(key, value string) error {
	if !passedOn[key] {
		return nil
	}
	if !utf8.ValidString(value) {
		return fmt.Errorf("cargo:%s: bytes that are not UTF-8; what a build script asks for must be text", key)
	}
	if r, i, ok := ControlChar(value); ok {
		return fmt.Errorf("cargo:%s: a control character (U+%04X) at byte %d; what a build script asks for becomes rustc arguments and environment, which take none", key, r, i)
	}
	return nil
}

// shorten quotes a line for a message, cut to a length a person reads.
func shorten(s string) string {
	const max = 200
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:max]) + fmt.Sprintf(" (and %d more bytes)", len(s)-max)
}

// replaceOutDir replaces each mention of the OUT_DIR the script saw by the
// final one: a whole path or the start of one, not a prefix of a longer
// name (/out_dir2) nor the end of one (/x/out_dir).
func replaceOutDir(value, outDir, final string) string {
	if outDir == "" || outDir == final || !strings.Contains(value, outDir) {
		return value
	}
	var b strings.Builder
	for {
		i := strings.Index(value, outDir)
		if i < 0 {
			b.WriteString(value)
			return b.String()
		}
		j := i + len(outDir)
		startOK := i == 0 || !pathByte(value[i-1])
		endOK := j == len(value) || value[j] == '/' || !pathByte(value[j])
		b.WriteString(value[:i])
		if startOK && endOK {
			b.WriteString(final)
		} else {
			b.WriteString(outDir)
		}
		value = value[j:]
	}
}

// pathByte reports a byte that continues a path component or a path.
func pathByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '.' || c == '/' || c >= 0x80
}

// envName is what a rustc-env name may be: letters, digits, '_', '.' and
// '-' (no space, '=', NUL or bytes beyond ASCII, which a native rustc and
// rustc.wasm would treat differently).
func envName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// reservedEnv are the names a build script may not set for the compile:
// RUSTC_BOOTSTRAP would let stable rustc accept #![feature] (cargo refuses
// it by name), and the rules set OUT_DIR and CARGO_MANIFEST_DIR themselves;
// a second value would leave rustc with two, which a native rustc and
// rustc.wasm resolve differently.
var reservedEnv = map[string]string{
	"RUSTC_BOOTSTRAP":    "crates may not set RUSTC_BOOTSTRAP themselves: it would let a stable rustc accept unstable features (cargo refuses it too)",
	"OUT_DIR":            "the rules set OUT_DIR for the compile themselves",
	"CARGO_MANIFEST_DIR": "the rules set CARGO_MANIFEST_DIR for the compile themselves",
}

// LastOfEachName keeps, of NAME=VALUE entries, the last value of each name
// where the name first appeared.
func LastOfEachName(env []string) []string {
	last := map[string]string{}
	for _, e := range env {
		name, _, _ := strings.Cut(e, "=")
		last[name] = e
	}
	var out []string
	for _, e := range env {
		name, _, _ := strings.Cut(e, "=")
		if v, ok := last[name]; ok {
			out = append(out, v)
			delete(last, name)
		}
	}
	return out
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
		if !envName(name) {
			return fmt.Errorf("rustc-env: %q is not a variable name (letters, digits, '_', '.', '-')", name)
		}
		if why, ok := reservedEnv[name]; ok {
			return fmt.Errorf("rustc-env: crate %s may not set %s: %s", opt.Crate, name, why)
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
