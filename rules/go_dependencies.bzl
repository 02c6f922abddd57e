"""WORKSPACE macro of rules_rustc_wasm, stage 2 (its code: //toolchain): the
runner's Go dependencies and a Go SDK. Load it after
rules_rustc_wasm_dependencies() from //rules:repositories.bzl has declared
rules_go and gazelle, which this file loads from.

    load("@rules_rustc_wasm//rules:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
    rules_rustc_wasm_go_dependencies()
"""

load(
    "//toolchain:go_dependencies.bzl",
    _rules_rustc_wasm_go_dependencies = "rules_rustc_wasm_go_dependencies",
)

rules_rustc_wasm_go_dependencies = _rules_rustc_wasm_go_dependencies
