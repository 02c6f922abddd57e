"""What the rules need of `rustc --print cfg` for the wasm32 WASI targets,
for toolchains that cannot ask their rustc at fetch time (a rustc.wasm
needs the runner to run): a subset, without target_abi and the default
target_features.

Generated from crates/cfg.go's wasmTargets, which the crates generator
judges dependencies' targets by: do not edit; run
`go test ./crates -run TestWasmTargetsBzl -update`.
"""

_COMMON = [
    "debug_assertions",
    "panic=\"abort\"",
    "target_arch=\"wasm32\"",
    "target_endian=\"little\"",
    "target_family=\"wasm\"",
    "target_has_atomic=\"16\"",
    "target_has_atomic=\"32\"",
    "target_has_atomic=\"64\"",
    "target_has_atomic=\"8\"",
    "target_has_atomic=\"ptr\"",
    "target_os=\"wasi\"",
    "target_pointer_width=\"32\"",
    "target_vendor=\"unknown\"",
]

WASM_TARGET_CFG = {
    "wasm32-wasi": sorted(_COMMON + ["target_env=\"\""]),
    "wasm32-wasip1": sorted(_COMMON + ["target_env=\"p1\""]),
    "wasm32-wasip1-threads": sorted(_COMMON + ["target_env=\"p1\"", "target_feature=\"atomics\"", "target_feature=\"bulk-memory\""]),
}
