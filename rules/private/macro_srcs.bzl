"""Sources laid out for the wasm macro side of a native toolchain.

The `macro-srcs` verb of the runner writes a crate's sources into a
directory of their own (its `mod` files keep their relative places), and
rewrites them on the way: a proc-macro crate's root becomes a WebAssembly
command that serves its macros, with a native shim crate beside it; a
library that leaves proc_macro out on WASI (syn 1) has those cfgs turned.
rustc sees the original paths in diagnostics (`--remap-path-prefix`).
"""

# The cfg that a crate rewritten for wasm_macro_wasi_gate is compiled with.
WASI_GATE_CFG = "rules_rustc_wasm_macro_side"

def _shadow_dir(ctx, what):
    return "_rustc_wasm/%s/%s" % (ctx.label.name, what)

def macro_sources(ctx, tc, crate, what, flags, extra_outputs = []):
    """Registers the macro-srcs action that copies the crate's sources, rewritten.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      crate: the crate's description (crate.bzl's describe_crate).
      what: the directory's name, below _rustc_wasm/<target>/.
      flags: the verb's rewriting flags (a list of strings).
      extra_outputs: other files the flags name.

    Returns:
      A dict of what changes in the description: root, srcs, compile_data
      (symlinked beside the sources, for include_str!) and remap.
    """
    prefix = _shadow_dir(ctx, what)
    copies = {f: ctx.actions.declare_file("%s/%s" % (prefix, f.path)) for f in crate["srcs"]}
    if crate["root"] not in copies:
        copies[crate["root"]] = ctx.actions.declare_file("%s/%s" % (prefix, crate["root"].path))
    args = ctx.actions.args()
    args.add("macro-srcs")
    for src, dst in copies.items():
        args.add("--copy", "%s=%s" % (src.path, dst.path))
    args.add_all(flags)
    ctx.actions.run(
        executable = tc.runner,
        arguments = [args],
        inputs = copies.keys(),
        outputs = copies.values() + extra_outputs,
        mnemonic = "RustMacroSrcs",
        progress_message = "Laying out the sources of %s for the wasm macro side" % ctx.label,
    )
    data = []
    for f in crate["compile_data"]:
        link = ctx.actions.declare_file("%s/%s" % (prefix, f.path))
        ctx.actions.symlink(output = link, target_file = f)
        data.append(link)
    root = copies[crate["root"]]
    return dict(
        root = root,
        srcs = copies.values(),
        compile_data = data,
        remap = root.path[:-len(crate["root"].path)],
    )

def wasi_gate_sources(ctx, tc, crate):
    """The changes to a crate description whose `target_os = "wasi"` cfgs are turned.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      crate: the crate's description.

    Returns:
      A dict to update the description with.
    """
    changes = macro_sources(ctx, tc, crate, "wasi_gate", ["--wasi-gate-cfg", WASI_GATE_CFG])
    changes["extra_cfgs"] = crate["extra_cfgs"] + [WASI_GATE_CFG]
    return changes
