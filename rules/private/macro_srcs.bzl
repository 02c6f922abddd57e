"""Sources laid out for the wasm macro side of a native toolchain.

The `macro-srcs` verb of the runner writes a crate's sources into a
directory of their own (its `mod` files keep their relative places), and
rewrites them on the way: a proc-macro crate's root becomes a WebAssembly
command that serves its macros, with a native shim crate beside it; a
library that leaves proc_macro out on WASI (syn 1) has those cfgs turned.
rustc sees the original paths in diagnostics (`--remap-path-prefix`).
"""

load("//rules/private/actions:macro_srcs.bzl", "macro_srcs_action")
load(":outputs.bzl", "declare_crate_output")

# The cfg that a crate rewritten for wasm_macro_wasi_gate is compiled with.
WASI_GATE_CFG = "rules_rustc_wasm_macro_side"

def macro_sources(ctx, tc, desc, what, flags, extra_outputs = []):
    """Registers the macro-srcs action that copies the crate's sources, rewritten.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      desc: the crate's description (crate.bzl's describe_crate).
      what: the directory's name, below the target's crate_dir.
      flags: the verb's rewriting flags (a list of strings).
      extra_outputs: other files the flags name.

    Returns:
      A dict of what changes in the description: root, srcs, compile_data
      (symlinked beside the sources, for include_str!) and remap.
    """
    copies = {f: declare_crate_output(ctx, "%s/%s" % (what, f.path)) for f in desc["srcs"]}
    if desc["root"] not in copies:
        copies[desc["root"]] = declare_crate_output(ctx, "%s/%s" % (what, desc["root"].path))
    macro_srcs_action(ctx, tc, copies, flags, extra_outputs)
    data = []
    for f in desc["compile_data"]:
        link = declare_crate_output(ctx, "%s/%s" % (what, f.path))
        ctx.actions.symlink(output = link, target_file = f)
        data.append(link)
    root = copies[desc["root"]]
    return dict(
        root = root,
        srcs = copies.values(),
        compile_data = data,
        remap = root.path[:-len(desc["root"].path)],
    )

def wasi_gate_sources(ctx, tc, desc):
    """The changes to a crate description whose `target_os = "wasi"` cfgs are turned.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      desc: the crate's description.

    Returns:
      A dict to update the description with.
    """
    changes = macro_sources(ctx, tc, desc, "wasi_gate", ["--wasi-gate-cfg", WASI_GATE_CFG])
    changes["extra_cfgs"] = desc["extra_cfgs"] + [WASI_GATE_CFG]
    return changes
