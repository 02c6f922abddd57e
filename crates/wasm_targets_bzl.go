package main

import (
	"fmt"
	"slices"
	"strings"
)

// wasmTargetsBzl is rules/private/wasm_targets.bzl: wasmTargets for
// Starlark, the lines all targets share written once.
func wasmTargetsBzl() string {
	common := wasmTargets[0].cfg
	for _, t := range wasmTargets[1:] {
		common = slices.DeleteFunc(slices.Clone(common), func(line string) bool { return !slices.Contains(t.cfg, line) })
	}
	var b strings.Builder
	b.WriteString(`"""` + "What the rules need of `rustc --print cfg` for the wasm32 WASI targets,\n" +
		"for toolchains that cannot ask their rustc at fetch time (a rustc.wasm\n" +
		"needs the runner to run): a subset, without target_abi and the default\n" +
		"target_features.\n\n" +
		"Generated from crates/cfg.go's wasmTargets, which the crates generator\n" +
		"judges dependencies' targets by: do not edit; run\n" +
		"`go test ./crates -run TestWasmTargetsBzl -update`.\n" + `"""` + "\n\n")
	b.WriteString("_COMMON = [\n")
	for _, line := range common {
		fmt.Fprintf(&b, "    %q,\n", line)
	}
	b.WriteString("]\n\nWASM_TARGET_CFG = {\n")
	for _, t := range wasmTargets {
		var own []string
		for _, line := range t.cfg {
			if !slices.Contains(common, line) {
				own = append(own, fmt.Sprintf("%q", line))
			}
		}
		fmt.Fprintf(&b, "    %q: sorted(_COMMON + [%s]),\n", t.triple, strings.Join(own, ", "))
	}
	b.WriteString("}\n")
	return b.String()
}
