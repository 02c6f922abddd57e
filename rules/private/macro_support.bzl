"""macro_support_library: the crates of //proc_macro_wasm, which the rules
build into wasm proc macros of a native rustc."""

load("//rules/private/actions:rustc.bzl", "rustc_action")
load(":attrs.bzl", "SUPPORT_CRATE_ATTRS", "TOOLCHAIN_TYPE")
load(":crate.bzl", "compile_crate", "crate_info", "describe_crate", "update_crate")
load(":outputs.bzl", "declare_crate_output")

def _macro_support_library_impl(ctx):
    info = compile_crate(ctx, "rlib", ["lib.rs"], with_macro_api = False)
    return [DefaultInfo(files = depset([info.output, info.metadata])), info]

def _macro_support_proc_macro_impl(ctx):
    # A host proc macro whatever the toolchain's proc_macro_kind: it runs in
    # the native rustc that builds wasm proc macros.
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    desc = describe_crate(ctx, tc, "proc-macro", ["lib.rs"])
    output = declare_crate_output(ctx, "lib%s.so" % desc["name"])
    update_crate(desc, emit = [("link", output)], outputs = [output])
    done = rustc_action(ctx, tc, desc)
    info = crate_info(desc, output, None, done)
    return [DefaultInfo(files = depset([output])), info]

_SUPPORT_RULE = {"attrs": SUPPORT_CRATE_ATTRS, "toolchains": [TOOLCHAIN_TYPE]}

macro_support_library = rule(
    implementation = _macro_support_library_impl,
    doc = "A library of //proc_macro_wasm: a wasm_rust_library without the implicit dependency on our proc_macro crate (which is one of them).",
    **_SUPPORT_RULE
)

macro_support_proc_macro = rule(
    implementation = _macro_support_proc_macro_impl,
    doc = "A native proc macro of //proc_macro_wasm, which the native rustc runs while it builds wasm proc macros.",
    **_SUPPORT_RULE
)
