package rustc

// Pipelined compilation, for a native rustc. A library's compile is two
// actions with one rustc command line: the metadata action, whose output
// is the .rmeta and which stops rustc once it has written it
// (Request.StopAfterMetadata), and the full action, whose output is the
// .rlib. Dependents compile against the .rmeta while the full action's
// codegen runs. Both actions give rustc the same --emit, since rustc
// hashes the kinds it emits into the crate: each writes what is not its
// own output into its staging directory, where it is dropped
// (dropUndeclaredEmits). The metadata action prints rustc's warnings, the
// full action none (Request.NoWarnings): the metadata action always runs,
// since whatever takes the .rlib takes the .rmeta too, while nothing may
// ask for the .rlib of a library that only libraries use. An error rustc
// finds after the .rmeta (in codegen) is the full action's, and is
// reported only if it runs. rustc writes the same .rmeta in both, and in a
// compile that is not pipelined, as long as the macros it expands give the
// same tokens, which wasm macros do.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
)

// ErrNoMetadataOutput is the error for a StopAfterMetadata request whose
// --emit does not write the .rmeta to a declared output.
var ErrNoMetadataOutput = errors.New("--stop-after-metadata: rustc's --emit names no metadata=PATH that is an --out")

// checkStopAfterMetadata checks a request that stops after the .rmeta:
// its --emit writes the .rmeta to one of its outputs, it has no other
// output, and its rustc is native (rustc.wasm's worker does not stop it).
func checkStopAfterMetadata(req Request) error {
	if !req.StopAfterMetadata {
		return nil
	}
	if action.IsWasm(req.Compiler) {
		return fmt.Errorf("--stop-after-metadata: not with rustc.wasm (%s): pipelined compilation needs a native rustc", req.Compiler)
	}
	p, _ := emitted(req.Args, "metadata")
	if p == "" || len(req.Outputs) != 1 || samePath(req.Dir, req.Outputs[0]) != samePath(req.Dir, p) {
		return ErrNoMetadataOutput
	}
	return nil
}

// samePath is p as a compile names it, whatever its spelling ("./out/x",
// "out//x"): cleaned, and made absolute if dir is.
func samePath(dir, p string) string { return filepath.Clean(action.Resolve(dir, p)) }

// dropUndeclaredEmits points each path of rustc's --emit that is not a
// declared output (nor dep-info, which the runner reads: withDepInfo) into
// the staging directory, which goes when the action ends: what one action
// of a pipelined pair emits for the other. args have been rewritten by st;
// dir is the working directory.
func dropUndeclaredEmits(dir string, args []string, st *action.Staging, outputs []string) ([]string, error) {
	if len(st.Dirs()) == 0 {
		return args, nil
	}
	declared := map[string]bool{}
	for _, o := range outputs {
		declared[samePath(dir, st.Path(o))] = true
	}
	var mkdirErr error
	drop := func(kind, p string) string {
		to := filepath.Join(st.Dirs()[0], "undeclared-"+kind, filepath.Base(p))
		if err := os.MkdirAll(action.Resolve(dir, filepath.Dir(to)), 0o755); err != nil && mkdirErr == nil {
			mkdirErr = err
		}
		return to
	}
	rewrite := func(v string) string {
		kinds := strings.Split(v, ",")
		for i, kind := range kinds {
			k, p, ok := strings.Cut(kind, "=")
			if ok && p != "" && k != "dep-info" && !declared[samePath(dir, p)] {
				kinds[i] = k + "=" + drop(k, p)
			}
		}
		return strings.Join(kinds, ",")
	}
	out := append([]string(nil), args...)
	for i := 0; i < len(out); i++ {
		switch a := out[i]; {
		case a == "--emit" && i+1 < len(out):
			i++
			out[i] = rewrite(out[i])
		case strings.HasPrefix(a, "--emit="):
			out[i] = "--emit=" + rewrite(strings.TrimPrefix(a, "--emit="))
		}
	}
	if mkdirErr != nil {
		return nil, fmt.Errorf("rustc's undeclared --emit outputs: %w", mkdirErr)
	}
	return out, nil
}
