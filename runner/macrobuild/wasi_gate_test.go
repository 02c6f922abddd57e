package macrobuild

import (
	"strings"
	"testing"
)

// TestWasiGate: every target_os = "wasi", however spaced, becomes false
// under the cfg; target_os = "wasip1" and the rest of the text stay as
// they were, lines included.
func TestWasiGate(t *testing.T) {
	src := `#[cfg(not(all(target_arch = "wasm32", any(target_os = "unknown", target_os = "wasi"))))]
extern crate proc_macro;
#[cfg(target_os="wasi")]
fn a() {}
#[cfg(target_os  =  "wasi")] fn b() {}
#[cfg(target_os = "wasip1")] fn c() {}
`
	want := `#[cfg(not(all(target_arch = "wasm32", any(target_os = "unknown", all(target_os = "wasi", not(side))))))]
extern crate proc_macro;
#[cfg(all(target_os = "wasi", not(side)))]
fn a() {}
#[cfg(all(target_os = "wasi", not(side)))] fn b() {}
#[cfg(target_os = "wasip1")] fn c() {}
`
	got, err := WasiGate([]byte(src), "side")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Count(string(got), "\n") != strings.Count(src, "\n") {
		t.Error("the line count changed")
	}
}

// TestWasiGateCfgName: the cfg is a bare name, nothing that would change
// the meaning of the cfg it is put in.
func TestWasiGateCfgName(t *testing.T) {
	for cfg, want := range map[string]bool{
		"rules_rustc_wasm_macro_side": true, "_x": true, "A9": true,
		"": false, "9a": false, "a b": false, "a)": false, `feature = "x"`: false, "a-b": false,
	} {
		if IsCfgName(cfg) != want {
			t.Errorf("IsCfgName(%q) = %v", cfg, !want)
		}
		if _, err := WasiGate([]byte(`target_os = "wasi"`), cfg); (err == nil) != want {
			t.Errorf("WasiGate(_, %q): err %v", cfg, err)
		}
	}
}
