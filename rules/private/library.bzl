"""wasm_rust_library: an rlib and its rmeta."""

load(":attrs.bzl", "LIBRARY_ATTRS", "TOOLCHAIN_TYPE")
load(":crate.bzl", "compile_crate", "crate_output_groups")

def _wasm_rust_library_impl(ctx):
    info = compile_crate(ctx, "rlib", ["lib.rs"])
    return [DefaultInfo(files = depset([info.output, info.metadata])), info, crate_output_groups(info)]

wasm_rust_library = rule(
    implementation = _wasm_rust_library_impl,
    doc = "A Rust library for the toolchain's target: `lib<name>.rlib` and `lib<name>.rmeta`, from one rustc action, or from a pipelined pair of actions with `//settings:pipelined_compilation`.",
    attrs = LIBRARY_ATTRS,
    toolchains = [TOOLCHAIN_TYPE],
)
