package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// TestShimIsTheSameInEveryConfiguration: one module in two configuration
// directories (Bazel 4 names them after the build's flags) gives one shim
// source, which names neither directory: the source is hashed into the
// shim's crate and every crate that uses it. Before, its comment held the
// module's path, and a build with another flag gave other crates.
func TestShimIsTheSameInEveryConfiguration(t *testing.T) {
	module := wasmtest.MacroModule(t, "macroexpand/testdata/faults.rs", func(path string, src []byte) ([]byte, error) {
		return macrobuild.RenameAttributes(path, src, "faults-0123456789abcdef", "2021")
	})
	b, err := os.ReadFile(module)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var shims [][]byte
	for _, cfg := range []string{"k8-fastbuild-ST-0123456789ab", "k8-fastbuild-ST-ba9876543210"} {
		m := filepath.Join(dir, "bazel-out", cfg, "bin", "libfaults.wasm")
		os.MkdirAll(filepath.Dir(m), 0o755)
		os.WriteFile(m, b, 0o644)
		out := filepath.Join(dir, cfg+".rs")
		if err := writeShim(m, "faults", out); err != nil {
			t.Fatal(err)
		}
		src, _ := os.ReadFile(out)
		if bytes.Contains(src, []byte(cfg)) {
			t.Errorf("the shim names its module's configuration directory %s:\n%s", cfg, src)
		}
		shims = append(shims, src)
	}
	if !bytes.Equal(shims[0], shims[1]) {
		t.Errorf("the shims differ:\n%s\n%s", shims[0], shims[1])
	}
}
