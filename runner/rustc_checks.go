package main

// What "runner rustc" checks of its flags once they are parsed (called
// from parseRustcArgs and rustcRequest): what it takes from build scripts
// and crate metadata, and outputs that would destroy inputs.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
)

// envSetByFlags reports whether the action's own flags (--env, --env-path)
// set the variable name, which an --env-file line (a build script's
// cargo:rustc-env) may not set again: rustc would get two values, and a
// native rustc and rustc.wasm would each pick another.
func envSetByFlags(f *rustcFlags, name string) bool {
	for _, list := range []listFlag{f.env, f.envPaths} {
		for _, e := range list {
			if k, _, _ := strings.Cut(e, "="); k == name {
				return true
			}
		}
	}
	return false
}

// inputBelow refuses a line of --inputs-from that is not below the
// working directory: absolute elsewhere, or climbing out with "..". A
// relative line is compared as written, so one that climbs out and back in
// ("../wd/x") is refused too.
func inputBelow(dir, line string) error {
	base := "."
	if filepath.IsAbs(line) {
		var err error
		if base, err = filepath.Abs(dir); err != nil {
			return err
		}
	}
	if !hostpath.Below(line, base) {
		return fmt.Errorf("%q is not below the working directory", line)
	}
	return nil
}

// checkRustcOutputs refuses an output (--out, --audit-file) that is the
// working directory or a parent of it, or that names an input or a parent
// of one: the compiler, the files the flags name (flagFiles: --arg-file,
// --env-file, --inputs-from, parameter files), --wasm-macro and
// --macro-input files, --env-path paths, the declared inputs, and what
// rustc's own arguments name (the crate root, --extern and -L paths). The
// runner removes what is at an output's path before rustc runs, and writes
// the audit file whatever happens.
func checkRustcOutputs(req rustc.Request, flagFiles []action.FlagPath) error {
	outputs := []action.FlagPath{{Flag: "--audit-file", Path: req.AuditFile}}
	for _, o := range req.Outputs {
		outputs = append(outputs, action.FlagPath{Flag: "--out", Path: o})
	}
	inputs := append([]action.FlagPath{{Flag: "--compiler", Path: req.Compiler}}, flagFiles...)
	for _, m := range req.Macros.Modules {
		inputs = append(inputs, action.FlagPath{Flag: "--wasm-macro", Path: m})
	}
	for _, m := range req.Macros.Inputs {
		inputs = append(inputs, action.FlagPath{Flag: "--macro-input", Path: m, AsWritten: true})
	}
	for _, ep := range req.EnvPaths {
		inputs = append(inputs, action.FlagPath{Flag: "--env-path " + ep.Name + "=", Path: ep.Path})
	}
	for _, in := range req.Inputs {
		inputs = append(inputs, action.FlagPath{Flag: "declared input", Path: in, AsWritten: true})
	}
	inputs = append(inputs, rustcArgPaths(req.Dir, req.Args)...)
	return action.CheckOutputs(req.Dir, outputs, inputs)
}

// rustcArgPaths are the inputs rustc's arguments name: arguments that are
// not flags and name a file (the crate root), and the paths of --extern
// and -L.
func rustcArgPaths(dir string, args []string) []action.FlagPath {
	var out []action.FlagPath
	for i := 0; i < len(args); i++ {
		a := args[i]
		next := func() string {
			if i+1 < len(args) {
				i++
				return args[i]
			}
			return ""
		}
		switch {
		case a == "-o" || a == "--out-dir" || a == "--emit":
			next() // rustc's outputs, staged by the runner
		case a == "--extern" || strings.HasPrefix(a, "--extern="):
			v := strings.TrimPrefix(a, "--extern=")
			if a == "--extern" {
				v = next()
			}
			if _, p, ok := strings.Cut(v, "="); ok {
				out = append(out, action.FlagPath{Flag: "rustc --extern", Path: p})
			}
		case a == "-L" || strings.HasPrefix(a, "-L"):
			v := strings.TrimPrefix(a, "-L")
			if a == "-L" {
				v = next()
			}
			if k, p, ok := strings.Cut(v, "="); ok && !strings.Contains(k, "/") {
				v = p
			}
			out = append(out, action.FlagPath{Flag: "rustc -L", Path: v})
		case a != "" && !strings.HasPrefix(a, "-"):
			p := a
			if dir != "" && !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
				out = append(out, action.FlagPath{Flag: "rustc's argument", Path: a})
			}
		}
	}
	return out
}

// rustcFlagFiles are the files "runner rustc"'s flags name and its parameter
// files (the @FILE arguments of args, before expansion).
func rustcFlagFiles(f *rustcFlags, args []string) []action.FlagPath {
	var out []action.FlagPath
	for _, l := range []struct {
		flag  string
		files []string
	}{{"--arg-file", f.argFiles}, {"--env-file", f.envFiles}, {"--inputs-from", []string{f.inputsFrom}}} {
		for _, p := range l.files {
			out = append(out, action.FlagPath{Flag: l.flag, Path: p})
		}
	}
	for _, a := range args {
		if strings.HasPrefix(a, "@") && len(a) > 1 {
			out = append(out, action.FlagPath{Flag: "parameter file", Path: a[1:]})
		}
	}
	return out
}
