package main

import (
	"sort"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/procmacrosrv/macroview"
)

// macroView is what the crate's wasm macros see in the build, for the
// proc-macro server to give them the same in the editor (see package
// macroview): the execution root at "/" with the crate's declared inputs,
// and the environment the compile gives rustc (rules/private/actions/rustc.bzl
// _runner_args), CARGO_MANIFEST_DIR and OUT_DIR as guest paths.
// scriptEnv is what the crate's build script's env file says, its values
// as the build passes them.
func macroView(s *Spec, paths Paths, scriptEnv map[string]string) macroview.View {
	v := macroview.View{Root: paths.ExecRoot, Inputs: []string{}, Env: map[string]string{}}
	seen := map[string]bool{}
	for _, f := range append(append([]File{}, s.Srcs...), s.CompileData...) {
		// Sibling-layout paths (../repo/...) lie outside the execution
		// root: the build's macros cannot see them either.
		if strings.HasPrefix(f.Path, "../") || seen[f.Path] {
			continue
		}
		seen[f.Path] = true
		v.Inputs = append(v.Inputs, f.Path)
	}
	sort.Strings(v.Inputs)
	for k, val := range s.Env {
		v.Env[k] = val
	}
	for k, val := range scriptEnv {
		v.Env[k] = val
	}
	v.Env["CARGO_MANIFEST_DIR"] = hostpath.GuestPath(s.PackageDir)
	if s.BuildScript != nil {
		v.Env["OUT_DIR"] = hostpath.GuestPath(s.BuildScript.OutDir)
	}
	return v
}
