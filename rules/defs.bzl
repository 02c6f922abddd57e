"""Public API of rules_rustc_wasm: Rust built by rustc.wasm, proc macros as WebAssembly.

    load("@rules_rustc_wasm//rules:defs.bzl", "wasm_proc_macro", "wasm_rust_library", "wasm_rust_binary", "wasm_rust_test", "cargo_build_script")

Every .bzl file a user loads is in this package: defs.bzl (rules,
providers, the toolchain rule), repositories.bzl and go_dependencies.bzl
(WORKSPACE), extensions.bzl (MODULE.bazel). Labels a user names besides:
//toolchain:toolchain_type and //settings:*. //offline_bootstrap is the
setup of a Bazel 4 machine without network.
"""

load("//rules/private:binary.bzl", _wasm_rust_binary = "wasm_rust_binary", _wasm_rust_test = "wasm_rust_test")
load("//rules/private:build_script.bzl", _cargo_build_script = "cargo_build_script")
load("//rules/private:library.bzl", _wasm_rust_library = "wasm_rust_library")
load("//rules/private:proc_macro.bzl", _wasm_proc_macro = "wasm_proc_macro")
load("//rules/private:providers.bzl", _BuildScriptInfo = "BuildScriptInfo", _CrateInfo = "CrateInfo")
load("//rules/private:toolchain.bzl", _RustcWasmToolchainInfo = "RustcWasmToolchainInfo", _rustc_wasm_toolchain = "rustc_wasm_toolchain")

BuildScriptInfo = _BuildScriptInfo
CrateInfo = _CrateInfo
cargo_build_script = _cargo_build_script
wasm_proc_macro = _wasm_proc_macro
wasm_rust_library = _wasm_rust_library
wasm_rust_binary = _wasm_rust_binary
wasm_rust_test = _wasm_rust_test
rustc_wasm_toolchain = _rustc_wasm_toolchain
RustcWasmToolchainInfo = _RustcWasmToolchainInfo
