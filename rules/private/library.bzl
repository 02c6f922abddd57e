"""wasm_rust_library: an rlib and its rmeta."""

load(":attrs.bzl", "BUILD_SCRIPT_ATTR", "CRATE_ATTRS", "TOOLCHAIN_TYPE", "WASI_GATE_ATTR")
load(":crate.bzl", "compile_crate", "crate_output_groups")

def _wasm_rust_library_impl(ctx):
    crate = compile_crate(ctx, "rlib", ["lib.rs"])
    return [DefaultInfo(files = depset([crate.output, crate.metadata])), crate, crate_output_groups(crate)]

wasm_rust_library = rule(
    implementation = _wasm_rust_library_impl,
    doc = "A Rust library for the toolchain's target: `lib<name>.rlib` and `lib<name>.rmeta` from one rustc action.",
    attrs = dict(CRATE_ATTRS, **dict(BUILD_SCRIPT_ATTR, **WASI_GATE_ATTR)),
    toolchains = [TOOLCHAIN_TYPE],
)
