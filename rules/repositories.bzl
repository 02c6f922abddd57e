"""WORKSPACE macros of rules_rustc_wasm, stage 1 (their code: //toolchain).

    load("@rules_rustc_wasm//rules:repositories.bzl", "rules_rustc_wasm_dependencies", "rustc_wasm_register_toolchains")
    rules_rustc_wasm_dependencies()

    load("@rules_rustc_wasm//rules:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
    rules_rustc_wasm_go_dependencies()

    # A rustc.wasm distribution (bin/rustc.wasm, lib/rustlib/<target>/lib/*.rlib):
    rustc_wasm_register_toolchains(name = "rustc_wasm", dist_path = "/opt/rustc-wasm/dist")
    # or downloaded:
    rustc_wasm_register_toolchains(name = "rustc_wasm", urls = ["https://.../dist.tar.gz"], sha256 = "...")
    # or the native flavour, a rustc installed on the machine:
    rustc_wasm_register_toolchains(name = "rustc_native", native_rustc = "/usr/bin/rustc", target = "wasm32-wasi")
"""

load(
    "//toolchain:repositories.bzl",
    _rules_rustc_wasm_dependencies = "rules_rustc_wasm_dependencies",
    _rustc_wasm_register_toolchains = "rustc_wasm_register_toolchains",
)

rules_rustc_wasm_dependencies = _rules_rustc_wasm_dependencies
rustc_wasm_register_toolchains = _rustc_wasm_register_toolchains
