"""wasm_proc_macro: a proc macro whose outputs are the pair lib<n>.wasm + lib<n>.rmeta."""

load(":attrs.bzl", "BUILD_SCRIPT_ATTR", "CRATE_ATTRS", "TOOLCHAIN_TYPE")
load(":crate.bzl", "compile_crate")
load(":providers.bzl", "CrateInfo")

def _wasm_proc_macro_impl(ctx):
    crate = compile_crate(ctx, "proc-macro", ["lib.rs"])
    return [DefaultInfo(files = depset([crate.output, crate.metadata])), crate]

_ATTRS = dict(CRATE_ATTRS, **BUILD_SCRIPT_ATTR)
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
