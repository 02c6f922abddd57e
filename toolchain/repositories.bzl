"""Deprecated: load these from
@rules_rustc_wasm//rules:repositories.bzl instead;
this file only re-exports them and will be removed. (toolchain/ was a second public surface; every
.bzl file a user loads now lives in //rules, over //rules/private.)"""

load("//rules:repositories.bzl", _rules_rustc_wasm_dependencies = "rules_rustc_wasm_dependencies", _rustc_wasm_register_toolchains = "rustc_wasm_register_toolchains")

# buildifier: disable=print
print("DEPRECATED: @rules_rustc_wasm//toolchain:repositories.bzl is deprecated: load rules_rustc_wasm_dependencies and rustc_wasm_register_toolchains from @rules_rustc_wasm//rules:repositories.bzl instead")

rules_rustc_wasm_dependencies = _rules_rustc_wasm_dependencies
rustc_wasm_register_toolchains = _rustc_wasm_register_toolchains
