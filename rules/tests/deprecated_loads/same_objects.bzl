"""The deprecated toolchain/*.bzl files give the very objects that //rules
and //offline_bootstrap give (toolchain/extensions.bzl is left out: Bazel 4
has no module extensions to load)."""

load("//offline_bootstrap:rust.bzl", "RUST_1_96")
load("//rules:defs.bzl", "RustcWasmToolchainInfo", "rustc_wasm_toolchain")
load("//rules:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
load("//rules:repositories.bzl", "rules_rustc_wasm_dependencies", "rustc_wasm_register_toolchains")
load("//toolchain:go_dependencies.bzl", old_go_dependencies = "rules_rustc_wasm_go_dependencies")
load("//toolchain:repositories.bzl", old_dependencies = "rules_rustc_wasm_dependencies", old_register = "rustc_wasm_register_toolchains")
load("//toolchain:toolchain.bzl", old_info = "RustcWasmToolchainInfo", old_toolchain = "rustc_wasm_toolchain")
load("//toolchain:versions.bzl", old_rust_1_96 = "RUST_1_96")

def check_same_objects():
    """Fails the loading of the calling package where a deprecated name gives something else."""
    for name, old, new in [
        ("RUST_1_96", old_rust_1_96, RUST_1_96),
        ("RustcWasmToolchainInfo", old_info, RustcWasmToolchainInfo),
        ("rustc_wasm_toolchain", old_toolchain, rustc_wasm_toolchain),
        ("rules_rustc_wasm_dependencies", old_dependencies, rules_rustc_wasm_dependencies),
        ("rustc_wasm_register_toolchains", old_register, rustc_wasm_register_toolchains),
        ("rules_rustc_wasm_go_dependencies", old_go_dependencies, rules_rustc_wasm_go_dependencies),
    ]:
        if old != new:
            fail("the deprecated //toolchain load of %s gives %r, not %r" % (name, old, new))
