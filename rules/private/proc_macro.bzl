"""wasm_proc_macro: a proc macro whose outputs are the pair lib<n>.wasm + lib<n>.rmeta."""

load(":providers.bzl", "CrateInfo")
load(":rustc.bzl", "COMMON_ATTRS", "TOOLCHAIN_TYPE", "check_deps", "compile_crate", "crate_name_of", "crate_root_of")

def _wasm_proc_macro_impl(ctx):
    check_deps(ctx)
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    name = crate_name_of(ctx)
    root = crate_root_of(ctx, ["lib.rs"])

    # One rustc run writes both files, into one directory, with one stem:
    # two runs could give them different crate hashes.
    stem = "_rustc_wasm/%s/lib%s" % (ctx.label.name, name)
    output = ctx.actions.declare_file(stem + tc.proc_macro_extension)
    metadata = ctx.actions.declare_file(stem + ".rmeta")
    compile_crate(ctx, "proc-macro", root, [output, metadata], [("metadata", metadata), ("link", output)])
    return [
        DefaultInfo(files = depset([output, metadata])),
        CrateInfo(
            name = name,
            type = "proc-macro",
            edition = ctx.attr.edition,
            root = root,
            srcs = depset(ctx.files.srcs),
            output = output,
            metadata = metadata,
            # A proc macro is a leaf: its own dependencies stay behind.
            transitive_outputs = depset([output, metadata]),
        ),
    ]

_ATTRS = dict(COMMON_ATTRS)
_ATTRS["deps"] = attr.label_list(
    doc = "Libraries the macro uses; like the macro, they are built for the exec configuration, and they are not passed on to the macro's users.",
    providers = [CrateInfo],
    cfg = "exec",
)

wasm_proc_macro = rule(
    implementation = _wasm_proc_macro_impl,
    doc = """A Rust procedural macro compiled to WebAssembly.

One rustc action (`--crate-type proc-macro`) writes the pair
`lib<name>.wasm` and `lib<name>.rmeta` into one directory. Dependents list it
in `proc_macro_deps` and get `--extern <name>=<dir>/lib<name>.wasm` with both
files as inputs, so rustc finds the `.rmeta` beside the `.wasm`. Built in the
exec configuration. With a native toolchain (`proc_macro_kind = "dylib"`) the
pair is `lib<name>.so` and `lib<name>.rmeta`.
""",
    attrs = _ATTRS,
    toolchains = [TOOLCHAIN_TYPE],
)
