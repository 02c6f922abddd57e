package macrobuild

import (
	"fmt"
	"regexp"
)

// WasiGate rewrites every target_os = "wasi" in a crate's source into
// all(target_os = "wasi", not(CFG)), which is false when the crate is
// compiled with --cfg CFG. It is for libraries that leave out
// `extern crate proc_macro` on WASI (syn 1 among them): on the wasm side
// of wasm proc macros, proc_macro_wasm's proc_macro crate is there, and
// the crate must be built as on any other target. Every target_os =
// "wasi" is rewritten, wherever it is (the crates it is for only write it
// in cfgs), and nothing else: lines keep their numbers. cfg must be a
// cfg name (IsCfgName).
func WasiGate(src []byte, cfg string) ([]byte, error) {
	if !IsCfgName(cfg) {
		return nil, fmt.Errorf("WASI gate cfg %q: want a cfg name", cfg)
	}
	return wasiTargetOS.ReplaceAll(src, []byte(`all(target_os = "wasi", not(`+cfg+`))`)), nil
}

// IsCfgName reports whether s may be the cfg of WasiGate: a bare name,
// which rustc's --cfg takes as it is.
func IsCfgName(s string) bool { return cfgName.MatchString(s) }

var (
	// wasiTargetOS matches target_os = "wasi" in a cfg.
	wasiTargetOS = regexp.MustCompile(`target_os\s*=\s*"wasi"`)
	cfgName      = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)
