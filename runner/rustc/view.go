package rustc

// What rustc.wasm sees of its working directory when the action's inputs
// are known, and the record of what it opened.

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// relBelow returns p relative to dir, the absolute working directory, and
// whether it is below it. Relative paths are relative to it already.
func relBelow(dir, p string) (string, bool) {
	if !filepath.IsAbs(p) {
		return filepath.ToSlash(p), true
	}
	if !hostpath.Below(p, dir) {
		return "", false
	}
	rel, _ := filepath.Rel(dir, p)
	return filepath.ToSlash(rel), true
}

// view is rustc.wasm's view of dir: the declared inputs; the directories
// of the outputs, where it may create files; the staging directories, its
// own; and the directories that --env-path names (their declared content).
func view(dir string, req Request, st *action.Staging) (*wasi.View, error) {
	var spec wasi.ViewSpec
	for _, in := range req.Inputs {
		if rel, ok := relBelow(dir, in); ok {
			spec.Inputs = append(spec.Inputs, rel)
		}
	}
	for _, o := range req.Outputs {
		if rel, ok := relBelow(dir, filepath.Dir(o)); ok {
			spec.Writable = append(spec.Writable, rel)
		}
	}
	for _, d := range st.Dirs() {
		if rel, ok := relBelow(dir, d); ok {
			spec.Own = append(spec.Own, rel)
		}
	}
	for _, ep := range req.EnvPaths {
		spec.Dirs = append(spec.Dirs, filepath.ToSlash(ep.Path))
	}
	return wasi.NewView(dir, spec)
}

// undeclaredNote tells the user which undeclared file rustc.wasm tried to
// read, when that may be why it failed.
func undeclaredNote(w io.Writer, paths []string) {
	if w == nil || len(paths) == 0 {
		return
	}
	more := ""
	if len(paths) > 1 {
		more = fmt.Sprintf(" (and %d more undeclared paths)", len(paths)-1)
	}
	fmt.Fprintf(w, "runner: rustc tried to read %s, which is not a declared input of this action%s; add it to srcs or compile_data\n", paths[0], more)
}

// auditPaths are the paths rustc.wasm opened, relative to dir, without
// the staging directories (what it wrote itself).
func auditPaths(a *wasi.Audit, dir string, st *action.Staging) []string {
	var out []string
	for _, p := range a.Paths(dir) {
		own := false
		for _, d := range st.Dirs() {
			if rel, ok := relBelow(dir, d); ok && hostpath.Below(p, rel) {
				own = true
			}
		}
		if !own {
			out = append(out, p)
		}
	}
	return out
}

// writeAudit writes the compile's audit file (see action.WriteAudit): its
// outputs, whether rustc.wasm saw the declared inputs (viewed) or the whole
// working directory, and the paths it opened.
func writeAudit(file string, outputs []string, viewed bool, paths []string) error {
	view := "whole-directory"
	if viewed {
		view = "declared-inputs"
	}
	if err := action.WriteAudit(file, action.Audit{Outputs: outputs, View: view, Paths: paths}); err != nil {
		return fmt.Errorf("audit file %s: %w", file, err)
	}
	return nil
}
