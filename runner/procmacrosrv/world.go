package procmacrosrv

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/procmacrosrv/macroview"
)

// world is what a macro sees in the editor: what it sees in the build
// (macroexpand.NewWorld), as the crate's macro view in the request's env
// says (package macroview): the execution root at "/" showing the crate's
// declared inputs only, read-only, and the compile's environment.
//
// A request without a view (a rust-project.json written before there were
// views) gets the crate's CARGO_* variables and no file at all: the
// directory the editor names as CARGO_MANIFEST_DIR holds more than the
// build shows (.env, .git/config), and which of its files are declared
// only the view says.
func (s *Server) world(em *expansion) (macroexpand.World, error) {
	value, ok := envValue(em.env, macroview.EnvVar)
	if !ok {
		s.noViewNoted.Do(func() {
			fmt.Fprintf(s.cfg.Log, "proc-macro server: the crate of %s's expansions has no %s in rust-project.json (written by an older rust_project tool): "+
				"macros see none of its files, where the build shows them its declared inputs; run bazel run @rules_rustc_wasm//tools:rust_project again\n",
				em.macroName, macroview.EnvVar)
		})
		var env []string
		for _, kv := range em.env {
			if strings.HasPrefix(kv[0], "CARGO_") && macroview.ValidEnv(kv[0], kv[1]) {
				env = append(env, kv[0]+"="+kv[1])
			}
		}
		return macroexpand.NewWorld(env, "", nil, s.cfg.Log)
	}
	v, err := macroview.Parse(value)
	if err != nil {
		return macroexpand.World{}, fmt.Errorf("%v; run bazel run @rules_rustc_wasm//tools:rust_project again", err)
	}
	if fi, err := os.Stat(v.Root); err != nil || !fi.IsDir() {
		return macroexpand.World{}, fmt.Errorf("the execution root %s that rust-project.json names for the macros' files is not a directory (was the workspace's output base removed?); build, and run bazel run @rules_rustc_wasm//tools:rust_project again", v.Root)
	}
	names := make([]string, 0, len(v.Env))
	for k := range v.Env {
		names = append(names, k)
	}
	sort.Strings(names)
	env := make([]string, 0, len(names))
	for _, k := range names {
		env = append(env, k+"="+v.Env[k])
	}
	w, err := macroexpand.NewWorld(env, v.Root, v.Inputs, s.cfg.Log)
	if err != nil {
		return w, fmt.Errorf("%s: %v", macroview.EnvVar, err)
	}
	return w, nil
}

// envValue is the value of name in a request's env, the last one given.
func envValue(env [][2]string, name string) (string, bool) {
	value, ok := "", false
	for _, kv := range env {
		if kv[0] == name {
			value, ok = kv[1], true
		}
	}
	return value, ok
}
