// Package macroview is what a wasm proc macro sees in the editor: the
// same as in the build, where it sees the compiled crate's declared inputs
// (srcs and compile_data), read-only, at their paths below the execution
// root mounted at "/", and the compile's environment with
// CARGO_MANIFEST_DIR and OUT_DIR as guest paths (macroexpand.NewWorld,
// which the compile and the server both call).
//
// tools/rust_project writes each crate's View into rust-project.json, as
// the crate env entry EnvVar; rust-analyzer sends a crate's env with every
// ExpandMacro request, and the proc-macro server (runner/procmacrosrv)
// mounts what the View lists. The list travels inside the request rather
// than in a file beside rust-project.json: there is nothing more for the
// server to open on the editor's word, and nothing to go stale apart from
// the project file that rust-analyzer reads.
package macroview

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// EnvVar is the crate env entry of rust-project.json that holds the
// crate's View, as JSON. It is not a Cargo variable: the server never
// passes it to a macro.
const EnvVar = "RULES_RUSTC_WASM_MACRO_VIEW"

// Format is the version of View's encoding; Parse refuses others.
const Format = 1

// View is what the macros expanded in one crate see.
type View struct {
	Format int `json:"format"`
	// Root is the host directory the guest sees at "/": the execution
	// root, below which every input has the path the build gives it.
	Root string `json:"root"`
	// Inputs are the crate's declared inputs, relative to Root: files, or
	// directories whose whole tree is an input (wasi.ViewSpec.Inputs).
	Inputs []string `json:"inputs"`
	// Env is the macro's whole environment, paths as the guest sees them.
	Env map[string]string `json:"env"`
}

// ValidEnv reports whether NAME=VALUE can be in a process's environment.
func ValidEnv(name, value string) bool {
	return name != "" && !strings.ContainsAny(name, "=\x00") && !strings.Contains(value, "\x00")
}

// Encode is v as the value of EnvVar.
func (v View) Encode() string {
	v.Format = Format
	b, err := json.Marshal(v)
	if err != nil { // strings, a list and a map of strings
		panic(err)
	}
	return string(b)
}

// Parse reads the value of EnvVar and checks what the server relies on:
// an absolute root, inputs below it, and an environment a process can
// have. Whether the files exist is the mount's to find.
func Parse(value string) (View, error) {
	var v View
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		return View{}, fmt.Errorf("%s is not a macro view: %v", EnvVar, err)
	}
	if v.Format != Format {
		return View{}, fmt.Errorf("%s has format %d, this server reads %d: rust-project.json and the server come from different versions of rules_rustc_wasm", EnvVar, v.Format, Format)
	}
	if !filepath.IsAbs(v.Root) {
		return View{}, fmt.Errorf("%s: root %q is not an absolute path", EnvVar, v.Root)
	}
	for _, in := range v.Inputs {
		c := path.Clean(in)
		if in == "" || path.IsAbs(c) || c == ".." || strings.HasPrefix(c, "../") {
			return View{}, fmt.Errorf("%s: input %q is not below the root", EnvVar, in)
		}
	}
	for k, val := range v.Env {
		if !ValidEnv(k, val) {
			return View{}, fmt.Errorf("%s: %q=%q cannot be in an environment", EnvVar, k, val)
		}
	}
	return v, nil
}
