package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// override is one [package.metadata.rules_rustc_wasm.crates.<name>] table
// (or [workspace.metadata...]). Pointer/nil fields are unset.
type override struct {
	Cfgs            []string          `json:"cfgs"`
	RustcFlags      []string          `json:"rustc_flags"`
	RustcEnv        map[string]string `json:"rustc_env"`
	Features        []string          `json:"features"`
	SkipBuildScript *bool             `json:"skip_build_script"`
	BuildScriptEnv  map[string]string `json:"build_script_env"`
	WasmFlavourCfgs []string          `json:"wasm_flavour_cfgs"`
	// WasmMacroWasiGate turns the crate's target_os = "wasi" cfgs off
	// where it is built into wasm proc macros (wasm_rust_library's
	// wasm_macro_wasi_gate).
	WasmMacroWasiGate *bool `json:"wasm_macro_wasi_gate"`

	origin string // where it was written, for error messages
}

var yes = true

// defaultOverrides are built in; a user's table for the same crate replaces
// them key by key (a key the user sets wins, the others stay).
func defaultOverrides() map[string]*override {
	return map[string]*override{
		// With no rustc version to parse (its build script cannot spawn
		// $RUSTC inside WASI), proc-macro2's build script emits nothing, and
		// syn then fails with E0277 From<proc_macro::TokenStream>.
		"proc-macro2": {WasmFlavourCfgs: []string{"use_proc_macro", "wrap_proc_macro"}, origin: "built-in default"},
		// syn 1 leaves out extern crate proc_macro (and parse_macro_input!)
		// on wasm32 WASI, where wasm proc macros have it (syn#1459 dropped
		// the gate in syn 2, where the rewrite finds nothing to turn).
		"syn": {WasmMacroWasiGate: &yes, origin: "built-in default"},
	}
}

// merge sets in o every key that u sets.
func (o *override) merge(u *override) {
	if u.Cfgs != nil {
		o.Cfgs = u.Cfgs
	}
	if u.RustcFlags != nil {
		o.RustcFlags = u.RustcFlags
	}
	if u.RustcEnv != nil {
		o.RustcEnv = u.RustcEnv
	}
	if u.Features != nil {
		o.Features = u.Features
	}
	if u.SkipBuildScript != nil {
		o.SkipBuildScript = u.SkipBuildScript
	}
	if u.BuildScriptEnv != nil {
		o.BuildScriptEnv = u.BuildScriptEnv
	}
	if u.WasmFlavourCfgs != nil {
		o.WasmFlavourCfgs = u.WasmFlavourCfgs
	}
	if u.WasmMacroWasiGate != nil {
		o.WasmMacroWasiGate = u.WasmMacroWasiGate
	}
	o.origin = u.origin
}

func (o *override) skipBuildScript() bool {
	return o != nil && o.SkipBuildScript != nil && *o.SkipBuildScript
}

// readOverrides collects the user's overrides from the workspace members'
// [package.metadata] and from [workspace.metadata]. The same crate named in
// two places is an error.
func readOverrides(md *metadata, members map[string]*cargoPackage) (map[string]*override, error) {
	user := map[string]*override{}
	type source struct {
		raw    json.RawMessage
		origin string
	}
	var srcs []source
	if len(md.Metadata) > 0 {
		srcs = append(srcs, source{md.Metadata, "[workspace.metadata.rules_rustc_wasm.crates] of " + md.WorkspaceRoot + "/Cargo.toml"})
	}
	for _, id := range sortedKeys(members) {
		p := members[id]
		if len(p.Metadata) > 0 {
			srcs = append(srcs, source{p.Metadata, "[package.metadata.rules_rustc_wasm.crates] of " + p.ManifestPath})
		}
	}
	for _, s := range srcs {
		var top struct {
			RulesRustcWasm *struct {
				Crates map[string]json.RawMessage `json:"crates"`
			} `json:"rules_rustc_wasm"`
		}
		if string(s.raw) == "null" {
			continue
		}
		if err := json.Unmarshal(s.raw, &top); err != nil {
			return nil, fmt.Errorf("%s: %v", s.origin, err)
		}
		if top.RulesRustcWasm == nil {
			continue
		}
		for name, raw := range top.RulesRustcWasm.Crates {
			origin := strings.Replace(s.origin, "crates]", "crates."+name+"]", 1)
			if prev, ok := user[name]; ok {
				return nil, fmt.Errorf("crate %q is overridden twice: in %s and in %s; keep one", name, prev.origin, origin)
			}
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			o := &override{}
			if err := dec.Decode(o); err != nil {
				return nil, fmt.Errorf("%s: %v (keys: cfgs, rustc_flags, rustc_env, features, skip_build_script, build_script_env, wasm_flavour_cfgs, wasm_macro_wasi_gate)",
					origin, strings.TrimPrefix(err.Error(), "json: "))
			}
			o.origin = origin
			user[name] = o
		}
	}
	return user, nil
}
