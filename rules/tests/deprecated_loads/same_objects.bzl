"""The deprecated toolchain/*.bzl files give the very objects that //rules
and //offline_bootstrap give (toolchain/extensions.bzl is left out: Bazel 4
has no module extensions to load)."""

load("//offline_bootstrap:rust.bzl", "RUST_1_96")
load("//rules:defs.bzl", "RustcWasmToolchainInfo", "rustc_wasm_toolchain")
load("//rules:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
load("//rules:repositories.bzl", "rules_rustc_wasm_dependencies", "rustc_wasm_register_toolchains")

# The deprecated file's other names: the rules' own pins, private now.
# buildifier: disable=bzl-visibility
load("//rules/private:versions.bzl", "BOOTSTRAP_GO_MODULES", "GAZELLE", "GO_MODULES", "GO_SDK_SHA256", "GO_VERSION", "RULES_GO", "proxy_zip")
load("//toolchain:go_dependencies.bzl", old_go_dependencies = "rules_rustc_wasm_go_dependencies")
load("//toolchain:repositories.bzl", old_dependencies = "rules_rustc_wasm_dependencies", old_register = "rustc_wasm_register_toolchains")
load("//toolchain:toolchain.bzl", old_info = "RustcWasmToolchainInfo", old_toolchain = "rustc_wasm_toolchain")
load("//toolchain:versions.bzl", old_BOOTSTRAP_GO_MODULES = "BOOTSTRAP_GO_MODULES", old_GAZELLE = "GAZELLE", old_GO_MODULES = "GO_MODULES", old_GO_SDK_SHA256 = "GO_SDK_SHA256", old_GO_VERSION = "GO_VERSION", old_RULES_GO = "RULES_GO", old_proxy_zip = "proxy_zip", old_rust_1_96 = "RUST_1_96")

def check_same_objects():
    """Fails the loading of the calling package where a deprecated name gives something else."""
    for name, old, new in [
        ("RUST_1_96", old_rust_1_96, RUST_1_96),
        ("RustcWasmToolchainInfo", old_info, RustcWasmToolchainInfo),
        ("rustc_wasm_toolchain", old_toolchain, rustc_wasm_toolchain),
        ("rules_rustc_wasm_dependencies", old_dependencies, rules_rustc_wasm_dependencies),
        ("rustc_wasm_register_toolchains", old_register, rustc_wasm_register_toolchains),
        ("rules_rustc_wasm_go_dependencies", old_go_dependencies, rules_rustc_wasm_go_dependencies),
        ("BOOTSTRAP_GO_MODULES", old_BOOTSTRAP_GO_MODULES, BOOTSTRAP_GO_MODULES),
        ("GAZELLE", old_GAZELLE, GAZELLE),
        ("GO_MODULES", old_GO_MODULES, GO_MODULES),
        ("GO_SDK_SHA256", old_GO_SDK_SHA256, GO_SDK_SHA256),
        ("GO_VERSION", old_GO_VERSION, GO_VERSION),
        ("RULES_GO", old_RULES_GO, RULES_GO),
        ("proxy_zip", old_proxy_zip, proxy_zip),
    ]:
        if old != new:
            fail("the deprecated //toolchain load of %s gives %r, not %r" % (name, old, new))
