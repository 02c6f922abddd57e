"""The runner's `build-script` verb: a Cargo build script's run."""

def build_script_action(ctx, tc, script, run):
    """Registers the run of a compiled build script under Cargo's contract.

    Args:
      ctx: the rule context.
      tc: the toolchain's RustcWasmToolchainInfo.
      script: the compiled script (a host executable with a native rustc, a
        module the runner runs with rustc.wasm).
      run: struct(package_name, target, manifest_dir, env, extra_cfgs,
        wasm_cfgs, inputs, out_dir, flags, env_file): the Cargo package it
        serves, the triple and directory of the crate, the script's
        environment, cfgs to add to the crate's compile (always, and when
        the script runs as WebAssembly), the files it reads, and its three
        outputs.
    """
    args = ctx.actions.args()
    args.add("build-script")
    args.add("--crate", run.package_name)
    args.add("--target", run.target)
    args.add("--manifest-dir", run.manifest_dir)
    args.add("--out-dir", run.out_dir.path)
    args.add("--flags-out", run.flags)
    args.add("--env-out", run.env_file)
    args.add("--env-path", "RUSTC=" + tc.rustc.path)
    args.add_all(["%s=%s" % kv for kv in sorted(run.env.items())], before_each = "--env")
    args.add_all(run.extra_cfgs, before_each = "--extra-cfg")
    args.add_all(run.wasm_cfgs, before_each = "--wasm-cfg")
    args.add("--")
    args.add(script)
    ctx.actions.run(
        executable = tc.runner,
        arguments = [args],
        # The sysroot too: scripts probe $RUSTC with the target's std.
        inputs = depset([script] + run.inputs, transitive = [tc.compiler_files, tc.sysroot_files]),
        outputs = [run.out_dir, run.flags, run.env_file],
        # PATH for a native script (and the rustc it may run).
        use_default_shell_env = True,
        mnemonic = "CargoBuildScript",
        progress_message = "Running build script of %s (%s)" % (ctx.label, "wasm" if tc.rustc_is_wasm else "native"),
    )
