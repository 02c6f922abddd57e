"""The runner's `macro-shim` verb: the source of a wasm proc macro's native shim."""

def macro_shim_action(ctx, tc, module, crate_name, out):
    """Registers the action that writes the shim crate's source from the module's declarations.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      module: the macro crate's module, lib<name>.wasm.
      crate_name: the macro crate's name, which the shim takes.
      out: the declared source file to write.
    """
    ctx.actions.run(
        executable = tc.runner,
        arguments = [ctx.actions.args().add_all(["macro-shim", "--module", module, "--crate-name", crate_name, "--out", out])],
        inputs = [module],
        outputs = [out],
        mnemonic = "RustMacroShim",
        progress_message = "Writing the native shim of wasm proc macro %s" % ctx.label,
    )
