"""The runner's `macro-srcs` verb: a crate's sources copied, rewritten, for the wasm macro side."""

def macro_srcs_action(ctx, tc, copies, flags, extra_outputs = []):
    """Registers the action that copies sources and rewrites them on the way.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      copies: a dict from each source File to its declared copy.
      flags: the verb's rewriting flags (a list of strings).
      extra_outputs: other files the flags name.
    """
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
