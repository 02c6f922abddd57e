"""Deprecated: load these from
@rules_rustc_wasm//rules:defs.bzl instead;
this file only re-exports them and will be removed. (toolchain/ was a second public surface; every
.bzl file a user loads now lives in //rules, over //rules/private.)"""

load("//rules:defs.bzl", _RustcWasmToolchainInfo = "RustcWasmToolchainInfo", _rustc_wasm_toolchain = "rustc_wasm_toolchain")

# buildifier: disable=print
print("DEPRECATED: @rules_rustc_wasm//toolchain:toolchain.bzl is deprecated: load RustcWasmToolchainInfo and rustc_wasm_toolchain from @rules_rustc_wasm//rules:defs.bzl instead")

RustcWasmToolchainInfo = _RustcWasmToolchainInfo
rustc_wasm_toolchain = _rustc_wasm_toolchain
