"""wasm_rust_library: an rlib and its rmeta."""

load(":providers.bzl", "CrateInfo")
load(":rustc.bzl", "COMMON_ATTRS", "TOOLCHAIN_TYPE", "check_deps", "compile_crate", "crate_name_of", "crate_root_of")

def _wasm_rust_library_impl(ctx):
    check_deps(ctx)
    name = crate_name_of(ctx)
    root = crate_root_of(ctx, ["lib.rs"])
    stem = "_rustc_wasm/%s/lib%s" % (ctx.label.name, name)
    rlib = ctx.actions.declare_file(stem + ".rlib")
    rmeta = ctx.actions.declare_file(stem + ".rmeta")
    transitive = compile_crate(ctx, "rlib", root, [rlib, rmeta], [("metadata", rmeta), ("link", rlib)])
    return [
        DefaultInfo(files = depset([rlib, rmeta])),
        CrateInfo(
            name = name,
            type = "rlib",
            edition = ctx.attr.edition,
            root = root,
            srcs = depset(ctx.files.srcs),
            output = rlib,
            metadata = rmeta,
            transitive_outputs = depset([rlib, rmeta], transitive = [transitive]),
        ),
    ]

wasm_rust_library = rule(
    implementation = _wasm_rust_library_impl,
    doc = "A Rust library for the toolchain's target: `lib<name>.rlib` and `lib<name>.rmeta` from one rustc action.",
    attrs = COMMON_ATTRS,
    toolchains = [TOOLCHAIN_TYPE],
)
