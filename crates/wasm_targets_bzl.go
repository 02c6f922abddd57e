package main

import (
	"fmt"
	"strings"
)

// wasmTargetsBzl is rules/private/wasm_targets.bzl: wasmTargets for
// Starlark.
func wasmTargetsBzl() string {
	var b strings.Builder
	b.WriteString(`"""` + "`rustc --print cfg` of the wasm32 WASI targets, for toolchains that cannot\n" +
		"ask their rustc at fetch time (a rustc.wasm needs the runner to run).\n\n" +
		"Generated from crates/cfg.go's wasmTargets, which the crates generator\n" +
		"judges dependencies' targets by: do not edit; run\n" +
		"`go test ./crates -run TestWasmTargetsBzl -update`.\n" + `"""` + "\n\n")
	b.WriteString("WASM_TARGET_CFG = {\n")
	for _, t := range wasmTargets {
		fmt.Fprintf(&b, "    %q: [\n", t.triple)
		for _, line := range t.cfg {
			fmt.Fprintf(&b, "        %q,\n", line)
		}
		b.WriteString("    ],\n")
	}
	b.WriteString("}\n")
	return b.String()
}
