"""Deprecated: load these from
@rules_rustc_wasm//rules:extensions.bzl instead;
this file only re-exports them and will be removed. (toolchain/ was a second public surface; every
.bzl file a user loads now lives in //rules, over //rules/private.)"""

load("//rules:extensions.bzl", _rustc_wasm = "rustc_wasm")

# buildifier: disable=print
print("DEPRECATED: @rules_rustc_wasm//toolchain:extensions.bzl is deprecated: load rustc_wasm from @rules_rustc_wasm//rules:extensions.bzl instead")

rustc_wasm = _rustc_wasm
