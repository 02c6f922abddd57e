"""wasm_proc_macro: a proc macro whose outputs are the pair lib<n>.wasm + lib<n>.rmeta."""

load(":attrs.bzl", "CRATE_ATTRS", "TOOLCHAIN_TYPE")
load(":crate.bzl", "compile_crate", "crate_output_groups")
load(":exec_side.bzl", "TRANSITION_ALLOWLIST_ATTRS", "exec_side_transition")
load(":providers.bzl", "BuildScriptInfo", "CrateInfo")

def _wasm_proc_macro_impl(ctx):
    crate = compile_crate(ctx, "proc-macro", ["lib.rs"])
    return [DefaultInfo(files = depset([crate.output, crate.metadata])), crate, crate_output_groups(crate)]

_ATTRS = dict(CRATE_ATTRS, **TRANSITION_ALLOWLIST_ATTRS)
_ATTRS["deps"] = attr.label_list(
    doc = "Libraries the macro uses, built where the macro runs; they are not passed on to the macro's users.",
    providers = [CrateInfo],
    cfg = exec_side_transition,
)
_ATTRS["build_script"] = attr.label(
    doc = "A cargo_build_script for the macro's crate, built for where the macro runs.",
    providers = [BuildScriptInfo],
    cfg = exec_side_transition,
)

wasm_proc_macro = rule(
    implementation = _wasm_proc_macro_impl,
    doc = """A Rust procedural macro compiled to WebAssembly.

One rustc action (`--crate-type proc-macro`) writes the pair
`lib<name>.wasm` and `lib<name>.rmeta` into one directory. Dependents list it
in `proc_macro_deps` and get `--extern <name>=<dir>/lib<name>.wasm` with both
files as inputs, so rustc finds the `.rmeta` beside the `.wasm`. It builds
in its dependents' configuration, the one `bazel build //...` uses too, so
each macro builds once a build. With a native toolchain
(`proc_macro_kind = "dylib"`) the pair is `lib<name>.so` and
`lib<name>.rmeta`, built for the host.
""",
    attrs = _ATTRS,
    toolchains = [TOOLCHAIN_TYPE],
)
