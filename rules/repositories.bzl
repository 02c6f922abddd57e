"""WORKSPACE macros of rules_rustc_wasm, stage 1 (their code: //toolchain).

    load("@rules_rustc_wasm//rules:repositories.bzl", "rules_rustc_wasm_dependencies", "rustc_wasm_register_toolchains")
    rules_rustc_wasm_dependencies()

    load("@rules_rustc_wasm//rules:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
    rules_rustc_wasm_go_dependencies()

    # A Rust distribution, a directory or an archive: one holding bin/rustc.wasm
    # is a rustc.wasm (lib/rustlib/<target>/lib/*.rlib beside it) ...
    rustc_wasm_register_toolchains(name = "rustc_wasm", dist_path = "/opt/rustc-wasm/dist")
    # ... one holding bin/rustc a native rustc laid out as rustup's toolchains
    # (its target's std added with `rustup target add wasm32-wasip1`):
    rustc_wasm_register_toolchains(name = "rust", dist_path = "/home/me/.rustup/toolchains/1.95.0-x86_64-unknown-linux-gnu")
    # either kind downloaded:
    rustc_wasm_register_toolchains(name = "rust", urls = ["https://.../rust.tar.gz"], sha256 = "...", strip_prefix = "rust-1.96.0")
    # or an installed native rustc (the target follows its release:
    # wasm32-wasip1 from 1.78, wasm32-wasi before):
    rustc_wasm_register_toolchains(name = "rustc_native", native_rustc = "/usr/bin/rustc")
"""

load(
    "//toolchain:repositories.bzl",
    _rules_rustc_wasm_dependencies = "rules_rustc_wasm_dependencies",
    _rustc_wasm_register_toolchains = "rustc_wasm_register_toolchains",
)

rules_rustc_wasm_dependencies = _rules_rustc_wasm_dependencies
rustc_wasm_register_toolchains = _rustc_wasm_register_toolchains
