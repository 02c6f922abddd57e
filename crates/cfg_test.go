package main

import "testing"

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
