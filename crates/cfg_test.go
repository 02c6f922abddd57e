package main

import (
	"flag"
	"os"
	"testing"
)

func TestTargetApplies(t *testing.T) {
	for _, tc := range []struct {
		target string
		want   bool
	}{
		{"cfg(windows)", false},
		{"cfg(target_os = \"macos\")", false},
		{"cfg(target_os = \"windows\")", false},
		{"cfg(unix)", true},                 // the Linux host
		{"cfg(target_os = \"wasi\")", true}, // wasm32-wasi
		{"cfg(target_arch = \"wasm32\")", true},
		{"cfg(not(target_arch = \"wasm32\"))", true}, // the host
		{"cfg(all(unix, target_arch = \"wasm32\"))", false},
		{"cfg(any(windows, target_os = \"redox\"))", false},
		{"cfg(any(windows, all(target_family = \"wasm\", target_env = \"p1\")))", true},
		{"cfg(all(not(windows), not(target_os = \"macos\")))", true},
		{"cfg(target_feature = \"atomics\")", false}, // unknown names are false
		{"x86_64-unknown-linux-gnu", true},
		{"wasm32-wasi", true},
		{"x86_64-pc-windows-msvc", false},
	} {
		got, err := targetApplies(tc.target)
		if err != nil {
			t.Errorf("targetApplies(%q): %v", tc.target, err)
			continue
		}
		if got != tc.want {
			t.Errorf("targetApplies(%q) = %v, want %v", tc.target, got, tc.want)
		}
	}
}

func TestTargetAppliesRejectsBadCfg(t *testing.T) {
	for _, bad := range []string{"cfg(", "cfg(all(unix)", "cfg(foo(bar))", "cfg(a = b)", "cfg(not(a, b))", "cfg(unix) x"} {
		if _, err := targetApplies(bad); err == nil {
			t.Errorf("targetApplies(%q): no error", bad)
		}
	}
}

var updateBzl = flag.Bool("update", false, "rewrite rules/private/wasm_targets.bzl from wasmTargets")

// TestWasmTargetsBzl: the wasm32 cfg the rules give build scripts
// (rules/private/wasm_targets.bzl) is the one the crates generator judges
// dependencies by.
func TestWasmTargetsBzl(t *testing.T) {
	const path = "../rules/private/wasm_targets.bzl"
	want := wasmTargetsBzl()
	if *updateBzl {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s is not what crates/cfg.go's wasmTargets make of it; run go test ./crates -run TestWasmTargetsBzl -update\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestWasmPlatformsFromCfg: a wasm platform's values are its cfg lines'.
func TestWasmPlatformsFromCfg(t *testing.T) {
	for _, p := range wasmPlatforms() {
		env := p.values["target_env"]
		if want := map[bool]string{true: "", false: "p1"}[p.triple == "wasm32-wasi"]; env != want {
			t.Errorf("%s: target_env %q, want %q", p.triple, env, want)
		}
		if p.values["target_os"] != "wasi" || p.values["target_arch"] != "wasm32" || len(p.values) != len(platformKeys) {
			t.Errorf("%s: values %v", p.triple, p.values)
		}
	}
}
