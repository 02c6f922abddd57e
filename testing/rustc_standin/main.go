// Command rustc_standin is a TEST DOUBLE for rustc.wasm, not a compiler.
//
// It is a WASI program (GOOS=wasip1) that honours rustc's command-line
// contract — --crate-name, --crate-type, --edition, --emit=KIND=PATH,
// -o, --extern NAME[=PATH], -L [KIND=]DIR, --target, --sysroot, --test,
// @argfile, exit codes and diagnostics on stderr — so that the wasm flavour
// of the rules can be tested without a real rustc.wasm. It compiles nothing.
// Each output it writes is a JSON record of what it was given, with the
// SHA-256 of the crate root and of every --extern file; the link output of a
// binary or test is instead a tiny WASI program that prints that it came
// from the stand-in.
//
// Like rustc, an --emit kind without a path is written into --out-dir.
//
// It fails like rustc (exit 1, "error..." on stderr) when the crate root is
// missing, when an --extern file or -L directory is missing, when a .wasm
// extern has no .rmeta beside it (rustc's locator needs the pair), and when
// the crate root contains compile_error!("...").
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
)

// Extern is one --extern as recorded.
type Extern struct {
	Name        string `json:"name"`
	Path        string `json:"path,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	RmetaSHA256 string `json:"rmeta_sha256,omitempty"`
	RmetaBeside bool   `json:"rmeta_beside,omitempty"`
}

// Record is what the stand-in writes for each --emit output.
type Record struct {
	StandIn     string   `json:"standin"`
	Emit        string   `json:"emit"`
	CrateName   string   `json:"crate_name"`
	CrateType   string   `json:"crate_type"`
	Edition     string   `json:"edition"`
	Target      string   `json:"target,omitempty"`
	Sysroot     string   `json:"sysroot,omitempty"`
	Test        bool     `json:"test,omitempty"`
	Root        string   `json:"root"`
	RootSHA256  string   `json:"root_sha256"`
	Externs     []Extern `json:"externs"`
	SearchPaths []string `json:"search_paths"`
	Cfgs        []string `json:"cfgs,omitempty"`
	Env         []string `json:"env,omitempty"`
	Args        []string `json:"args"`
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "error: "+format+"\n\nerror: aborting due to previous error\n", a...)
	os.Exit(1)
}

func digest(p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// expand replaces @FILE arguments by FILE's lines, as rustc does.
func expand(args []string) []string {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "@") || len(a) == 1 {
			out = append(out, a)
			continue
		}
		f, err := os.Open(a[1:])
		if err != nil {
			fail("failed to load argument file: IO Error: %s: %v", a[1:], err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			out = append(out, sc.Text())
		}
		f.Close()
	}
	return out
}

var compileError = regexp.MustCompile(`compile_error!\("([^"]*)"\)`)

func main() {
	args := expand(os.Args[1:])
	rec := Record{StandIn: "rustc-standin (a test double, not a compiler)", Edition: "2015", CrateType: "bin", Args: args, Externs: []Extern{}, SearchPaths: []string{}}
	emits := map[string]string{}
	var emitOrder []string
	outPath, outDir := "", ""
	value := func(i *int, flag string) string {
		a := args[*i]
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
		if *i+1 >= len(args) {
			fail("Argument to option '%s' missing", strings.TrimLeft(flag, "-"))
		}
		*i++
		return args[*i]
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--crate-name" || strings.HasPrefix(a, "--crate-name="):
			rec.CrateName = value(&i, "--crate-name")
		case a == "--crate-type" || strings.HasPrefix(a, "--crate-type="):
			rec.CrateType = value(&i, "--crate-type")
		case a == "--edition" || strings.HasPrefix(a, "--edition="):
			rec.Edition = value(&i, "--edition")
		case a == "--target" || strings.HasPrefix(a, "--target="):
			rec.Target = value(&i, "--target")
		case a == "--sysroot" || strings.HasPrefix(a, "--sysroot="):
			rec.Sysroot = value(&i, "--sysroot")
		case a == "--cfg" || strings.HasPrefix(a, "--cfg="):
			rec.Cfgs = append(rec.Cfgs, value(&i, "--cfg"))
		case a == "--test":
			rec.Test = true
		case a == "-o":
			outPath = value(&i, "-o")
		case a == "--out-dir" || strings.HasPrefix(a, "--out-dir="):
			outDir = value(&i, "--out-dir")
		case a == "--emit" || strings.HasPrefix(a, "--emit="):
			for _, e := range strings.Split(value(&i, "--emit"), ",") {
				kind, p, ok := strings.Cut(e, "=")
				if !ok {
					p = ""
				}
				switch kind {
				case "metadata", "link", "dep-info", "llvm-ir", "asm", "obj", "llvm-bc", "mir":
				default:
					fail("unknown emission type: `%s` - expected one of: `llvm-bc`, `asm`, `llvm-ir`, `mir`, `obj`, `metadata`, `link`, `dep-info`", kind)
				}
				emits[kind] = p
				emitOrder = append(emitOrder, kind)
			}
		case a == "--extern" || strings.HasPrefix(a, "--extern="):
			name, p, _ := strings.Cut(value(&i, "--extern"), "=")
			rec.Externs = append(rec.Externs, Extern{Name: name, Path: p})
		case a == "-L" || strings.HasPrefix(a, "-L"):
			v := strings.TrimPrefix(a, "-L")
			if v == "" {
				v = value(&i, "-L")
			}
			rec.SearchPaths = append(rec.SearchPaths, v)
		case a == "-C" || a == "--cap-lints" || a == "-W" || a == "-A" || a == "-D":
			i++
		case strings.HasPrefix(a, "-C") || strings.HasPrefix(a, "--cap-lints=") || strings.HasPrefix(a, "-W") || strings.HasPrefix(a, "-A") || strings.HasPrefix(a, "-D"):
		case strings.HasPrefix(a, "-"):
			fail("Unrecognized option: '%s'", strings.TrimLeft(a, "-"))
		default:
			if rec.Root != "" {
				fail("multiple input filenames provided (first two filenames are `%s` and `%s`)", rec.Root, a)
			}
			rec.Root = a
		}
	}
	if rec.Root == "" {
		fail("no input filename given")
	}
	src, err := os.ReadFile(rec.Root)
	if err != nil {
		fail("couldn't read %s: %v", rec.Root, err)
	}
	rec.RootSHA256 = digest(rec.Root)
	if rec.CrateName == "" {
		rec.CrateName = strings.TrimSuffix(path.Base(rec.Root), ".rs")
	}
	if m := compileError.FindSubmatch(src); m != nil {
		fail("%s\n --> %s", m[1], rec.Root)
	}
	if rec.Sysroot != "" && rec.Target != "" {
		if fi, err := os.Stat(path.Join(rec.Sysroot, "lib/rustlib", rec.Target, "lib")); err != nil || !fi.IsDir() {
			fail("can't find crate for `std`\n  = note: the `%s` target may not be installed (no %s/lib/rustlib/%s/lib)", rec.Target, rec.Sysroot, rec.Target)
		}
	}
	for _, sp := range rec.SearchPaths {
		dir := sp
		if _, d, ok := strings.Cut(sp, "="); ok {
			dir = d
		}
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			fail("search path %s does not exist", dir)
		}
	}
	for i, e := range rec.Externs {
		if e.Path == "" {
			continue
		}
		if _, err := os.Stat(e.Path); err != nil {
			fail("extern location for %s does not exist: %s", e.Name, e.Path)
		}
		rec.Externs[i].SHA256 = digest(e.Path)
		if strings.HasSuffix(e.Path, ".wasm") || strings.HasSuffix(e.Path, ".so") || strings.HasSuffix(e.Path, ".rlib") {
			rmeta := strings.TrimSuffix(e.Path, path.Ext(e.Path)) + ".rmeta"
			if _, err := os.Stat(rmeta); err == nil {
				rec.Externs[i].RmetaBeside = true
				rec.Externs[i].RmetaSHA256 = digest(rmeta)
			} else if strings.HasSuffix(e.Path, ".wasm") {
				fail("[E0463]: can't find crate for `%s`\n  = note: %s has no %s beside it", e.Name, e.Path, path.Base(rmeta))
			}
		}
	}
	for _, kv := range os.Environ() {
		rec.Env = append(rec.Env, kv)
	}
	sort.Strings(rec.Env)
	if len(emitOrder) == 0 {
		emitOrder = []string{"link"}
	}
	for _, kind := range emitOrder {
		p := emits[kind]
		if p == "" {
			p = outPath
		}
		if p == "" {
			p = path.Join(outDir, defaultName(rec.CrateName, rec.CrateType, kind))
		}
		r := rec
		r.Emit = kind
		var data []byte
		if kind == "link" && (rec.CrateType == "bin" || rec.Test) {
			data = program(rec)
		} else {
			data, _ = json.MarshalIndent(r, "", "  ")
			data = append(data, '\n')
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			fail("couldn't create a temp dir: %v at path %q", err, p)
		}
	}
}

func defaultName(crate, crateType, kind string) string {
	switch {
	case kind == "metadata":
		return "lib" + crate + ".rmeta"
	case crateType == "bin":
		return crate + ".wasm"
	case crateType == "proc-macro":
		return "lib" + crate + ".wasm"
	}
	return "lib" + crate + ".rlib"
}
