"""The one action builder of the rules: a crate's rustc command line, run by
the runner's `rustc` verb (runner flags before `--`, rustc's own after)."""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")
load(":cargo_env.bzl", "cargo_version_env")

def _dirname(f):
    return f.dirname

def _extern(e):
    return "--extern=%s=%s" % (e.name, e.crate.output.path)

def _cargo_env(crate):
    """What Cargo tells a crate it compiles, for a crate with a version."""
    if not crate.version:
        return {}
    return dict(cargo_version_env(crate.version), CARGO_CRATE_NAME = crate.name)

def _runner_args(crate, tc):
    """The runner's own flags: the compiler, the outputs, the environment."""
    args = ["--compiler", tc.rustc.path]
    for f in crate.outputs:
        args.extend(["--out", f.path])
    env = _cargo_env(crate)
    env.update(crate.rustc_env)
    for k, v in sorted(env.items()):
        args.extend(["--env", "%s=%s" % (k, v)])
    if crate.version:
        args.extend(["--env-path", "CARGO_MANIFEST_DIR=" + crate.manifest_dir])
    bs = crate.build_script
    if bs:
        args.extend([
            "--env-path",
            "OUT_DIR=" + bs.out_dir.path,
            "--arg-file",
            bs.flags.path,
            "--env-file",
            bs.env.path,
        ])
    return args

def rustc_action(ctx, tc, crate):
    """Registers the rustc action that compiles one crate description.

    Args:
      ctx: the rule context (for actions, the label and the worker settings).
      tc: the toolchain's RustcWasmToolchainInfo.
      crate: the description made by crate.bzl's compile_crate.

    Returns:
      The audit File (every path rustc.wasm opened) when
      //toolchain:audit is on, else None.
    """
    audit = None
    if tc.rustc_is_wasm and ctx.attr._audit[BuildSettingInfo].value:
        audit = ctx.actions.declare_file(crate.outputs[0].basename + ".audit", sibling = crate.outputs[0])

    # Everything of one action goes into its parameter file: a persistent
    # worker gets the file's lines as a work request, and Bazel shares a
    # worker among actions whose other arguments are the same.
    args = ctx.actions.args()
    args.add_all(_runner_args(crate, tc))
    if audit:
        args.add("--audit-file", audit)
    args.add("--")
    args.add(crate.root)
    args.add("--crate-name=" + crate.name)
    args.add("--crate-type=" + crate.type)
    args.add("--edition=" + crate.edition)
    args.add("--emit=" + ",".join(["%s=%s" % (kind, f.path) for kind, f in crate.emit]))
    if crate.is_test:
        args.add("--test")
    if not crate.for_exec:
        args.add("--target=" + tc.target)
    elif tc.rustc_is_wasm:
        # rustc.wasm loads proc macros built for this target.
        args.add("--target=" + tc.exec_triple)
    args.add("--sysroot=" + tc.sysroot)
    args.add("-Cmetadata=" + crate.metadata_hash)
    args.add("-Copt-level=" + ("3" if ctx.var["COMPILATION_MODE"] == "opt" else "0"))
    args.add_all(crate.features, format_each = "--cfg=feature=\"%s\"")
    if crate.type == "proc-macro":
        args.add("--extern=proc_macro")
    args.add_all(crate.externs, map_each = _extern)
    args.add_all(crate.transitive, map_each = _dirname, format_each = "-Ldependency=%s", uniquify = True)
    args.add_all(tc.rustc_flags)
    args.add_all(crate.rustc_flags)
    args.use_param_file("@%s", use_always = True)
    args.set_param_file_format("multiline")

    startup = ctx.actions.args()
    startup.add("rustc")
    requirements = {}

    # The worker keeps rustc.wasm compiled and confines it to the action's
    # inputs. A native rustc gains nothing from it and the runner cannot
    # confine it, so native compiles run in Bazel's sandbox.
    if tc.rustc_is_wasm and ctx.attr._use_worker[BuildSettingInfo].value:
        protocol = ctx.attr._worker_protocol[BuildSettingInfo].value
        startup.add("--worker_protocol=" + protocol)
        requirements = {
            "requires-worker-protocol": protocol,
            "supports-multiplex-workers": "1",
            "supports-worker-cancellation": "1",
            "supports-workers": "1",
        }

    bs = crate.build_script
    ctx.actions.run(
        executable = tc.runner,
        arguments = [startup, args],
        execution_requirements = requirements,
        inputs = depset(
            crate.srcs + crate.compile_data + [tc.rustc] + ([bs.out_dir, bs.flags, bs.env] if bs else []),
            transitive = [crate.transitive, tc.sysroot_files],
        ),
        outputs = crate.outputs + ([audit] if audit else []),
        # PATH (strict under --incompatible_strict_action_env) for a native
        # rustc's linker; rustc.wasm sees only the rustc_env it is given.
        use_default_shell_env = True,
        mnemonic = "RustcWasm",
        progress_message = "Compiling Rust %s %s (%s)" % (crate.kind, crate.label, "wasm" if tc.rustc_is_wasm else "native"),
    )
    return audit
