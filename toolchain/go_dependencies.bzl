"""Deprecated: load these from
@rules_rustc_wasm//rules:go_dependencies.bzl instead;
this file only re-exports them and will be removed. (toolchain/ was a second public surface; every
.bzl file a user loads now lives in //rules, over //rules/private.)"""

load("//rules:go_dependencies.bzl", _rules_rustc_wasm_go_dependencies = "rules_rustc_wasm_go_dependencies")

# buildifier: disable=print
print("DEPRECATED: @rules_rustc_wasm//toolchain:go_dependencies.bzl is deprecated: load rules_rustc_wasm_go_dependencies from @rules_rustc_wasm//rules:go_dependencies.bzl instead")

rules_rustc_wasm_go_dependencies = _rules_rustc_wasm_go_dependencies
