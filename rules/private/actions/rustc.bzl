"""The runner's `rustc` verb: a crate's compile (rustc_action) and its
source after macro expansion (the rust_expanded output group). The
runner's own flags come before `--`, rustc's after.

Every command line the rules give the runner is built in this directory,
a file a verb."""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")

def _dirname(f):
    return f.dirname

def _extern(e):
    return "--extern=%s=%s" % (e.name, e.crate.output.path)

def _extern_metadata(e):
    # A pipelined library's compile: a library's .rmeta, written before its
    # .rlib (crate.bzl's pipelined_compilation).
    if e.crate.type == "rlib" and e.crate.metadata:
        return "--extern=%s=%s" % (e.name, e.crate.metadata.path)
    return _extern(e)

def _loadable(desc):
    """What rustc may load of the crates the compile is given: a pipelined library's, its libraries' .rmeta alone."""
    return desc.transitive_metadata if desc.pipelined else desc.transitive

def _wasm_macros(desc):
    """The wasm proc-macro modules a native rustc may expand for this crate.

    Its direct proc macros' and those its libraries may re-export.
    """
    return depset(transitive = [e.crate.wasm_macros for e in desc.externs])

def _compile_env(desc):
    """The compile's environment of the crate's own: Cargo's variables and rustc_env."""
    env = dict(desc.cargo_env)
    env.update(desc.rustc_env)
    return env

def _runner_args(ctx, desc, tc, env, wasm_macros, outputs):
    """The runner's own flags: the compiler, the outputs, the environment."""
    args = ["--compiler", tc.rustc.path]
    for f in outputs:
        args.extend(["--out", f.path])
    if wasm_macros:
        args.extend([
            "--macro-timeout",
            ctx.attr._wasm_macro_timeout[BuildSettingInfo].value,
            "--macro-max-memory",
            str(ctx.attr._wasm_macro_max_memory_mib[BuildSettingInfo].value),
        ])

        # The modules are built for the toolchain's target; only a threads
        # target's may spawn threads.
        if tc.target.endswith("-threads"):
            args.append("--macro-threads")
        if not ctx.attr._wasm_macro_cache[BuildSettingInfo].value:
            args.append("--no-macro-cache")
        if ctx.attr._wasm_macro_cache_report[BuildSettingInfo].value:
            args.append("--macro-cache-report")
        for f in wasm_macros:
            args.extend(["--wasm-macro", f.path])
        for f in desc.srcs + desc.compile_data:
            args.extend(["--macro-input", f.path])
    for k, v in sorted(env.items()):
        args.extend(["--env", "%s=%s" % (k, v)])
    args.extend(["--env-path", "CARGO_MANIFEST_DIR=" + desc.manifest_dir])
    bs = desc.build_script
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

def _std_of(tc, desc):
    """The std a crate builds against: struct(sysroot, files, flags).

    What links into a wasm proc-macro module takes the toolchain's macro
    side (its unwinding std, where it has one); everything else its sysroot.
    """
    if desc.links_into_wasm_macro:
        return struct(sysroot = tc.macro_sysroot, files = tc.macro_sysroot_files, flags = tc.macro_rustc_flags)
    return struct(sysroot = tc.sysroot, files = tc.sysroot_files, flags = [])

def _add_rustc_args(ctx, tc, desc, args):
    """rustc's own arguments for the crate, after the runner's `--`."""
    args.add(desc.root)
    args.add("--crate-name=" + desc.name)
    args.add("--crate-type=" + desc.type)
    args.add("--edition=" + desc.edition)
    args.add("--emit=" + ",".join(["%s=%s" % (kind, f.path) for kind, f in desc.emit]))
    if desc.is_test:
        args.add("--test")
    if desc.triple:
        args.add("--target=" + desc.triple)
    std = _std_of(tc, desc)
    args.add("--sysroot=" + std.sysroot)
    args.add("-Cmetadata=" + desc.metadata_hash)
    args.add("-Copt-level=" + (desc.opt_level or ("3" if ctx.var["COMPILATION_MODE"] == "opt" else "0")))
    args.add_all(desc.features, format_each = "--cfg=feature=\"%s\"")
    args.add_all(desc.extra_cfgs, format_each = "--cfg=%s")
    if desc.remap:
        # Sources laid out elsewhere (macro_srcs.bzl) keep their names.
        args.add("--remap-path-prefix=%s=" % desc.remap)
    if desc.type == "proc-macro":
        args.add("--extern=proc_macro")
    args.add_all(desc.externs, map_each = _extern_metadata if desc.pipelined else _extern)
    args.add_all(_loadable(desc), map_each = _dirname, format_each = "-Ldependency=%s", uniquify = True)
    args.add_all(tc.rustc_flags)
    args.add_all(std.flags)
    args.add_all(desc.rustc_flags)
    return args

def rustc_action(ctx, tc, desc):
    """Registers the rustc action that compiles one crate description.

    Args:
      ctx: the rule context (for actions, the label and the worker settings).
      tc: the toolchain's RustcWasmToolchainInfo.
      desc: the crate description (a dict made by crate.bzl's new_crate).

    Returns:
      struct(audit, expanded, env): the audit File (every path rustc.wasm
      opened) when //settings:audit is on, else None; the list of the
      expanded source (//settings:expanded), if any; the environment of the
      crate's own the compile was given (Cargo's variables, rustc_env).
    """
    desc = struct(**desc)
    env = _compile_env(desc)
    audit = None
    if tc.rustc_is_wasm and ctx.attr._audit[BuildSettingInfo].value:
        audit = ctx.actions.declare_file(desc.outputs[0].basename + ".audit", sibling = desc.outputs[0])

    wasm_macros = _wasm_macros(desc).to_list() if tc.expands_wasm_macros else []
    bs = desc.build_script
    inputs = depset(
        desc.srcs + desc.compile_data + wasm_macros + ([bs.out_dir, bs.flags, bs.env] if bs else []),
        transitive = [_loadable(desc), tc.compiler_files, _std_of(tc, desc).files],
    )

    # rustc.wasm sees only the declared inputs, by the runner's view, also
    # where no sandbox or worker confines the action (a local or remote
    # strategy); a work request's own inputs take precedence. A native
    # rustc that expands wasm macros gets the list too: the runner fails
    # the compile if rustc's dep-info shows it read a file the list lacks
    # (what a macro's include_str! would reach without a sandbox).
    inputs_list = None
    if tc.rustc_is_wasm or wasm_macros:
        listed = ctx.actions.args()
        listed.add_all(inputs, expand_directories = False)
        listed.set_param_file_format("multiline")
        inputs_list = ctx.actions.declare_file(desc.outputs[0].basename + ".inputs", sibling = desc.outputs[0])
        ctx.actions.write(inputs_list, listed)
        inputs = depset([inputs_list], transitive = [inputs])

    if desc.pipelined:
        # A pipelined pair: one rustc command line, two actions. The
        # metadata action's output is the .rmeta, and the runner stops
        # rustc once it has written it; the full action's the .rlib. The
        # metadata action, which always runs, prints the warnings.
        rlib, rmeta = desc.outputs
        _run_rustc(ctx, tc, desc, env, wasm_macros, inputs, [rmeta], ["--stop-after-metadata"], audit, inputs_list, "RustcMetadata", "Compiling Rust metadata of")
        _run_rustc(ctx, tc, desc, env, wasm_macros, inputs, [rlib], ["--no-warnings"], None, inputs_list, "Rustc", "Compiling Rust")
    else:
        _run_rustc(ctx, tc, desc, env, wasm_macros, inputs, desc.outputs, [], audit, inputs_list, "Rustc", "Compiling Rust")
    expanded = []
    if ctx.attr._expanded[BuildSettingInfo].value and not tc.rustc_is_wasm and desc.type not in ["proc-macro", "cdylib"]:
        expanded.append(_expanded_action(ctx, tc, desc, env, wasm_macros, inputs))
    return struct(audit = audit, expanded = expanded, env = env)

def _run_rustc(ctx, tc, desc, env, wasm_macros, inputs, outputs, runner_flags, audit, inputs_list, mnemonic, doing):
    """Registers one rustc action of the crate, whose outputs are outputs (and audit)."""

    # Everything of one action goes into its parameter file: a persistent
    # worker gets the file's lines as a work request, and Bazel shares a
    # worker among actions whose other arguments are the same.
    args = ctx.actions.args()
    args.add_all(_runner_args(ctx, desc, tc, env, wasm_macros, outputs))
    args.add_all(runner_flags)
    if audit:
        args.add("--audit-file", audit)
    if inputs_list:
        args.add("--inputs-from", inputs_list)
    args.add("--")
    _add_rustc_args(ctx, tc, desc, args)
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

    ctx.actions.run(
        executable = tc.runner,
        arguments = [startup, args],
        execution_requirements = requirements,
        inputs = inputs,
        outputs = outputs + ([audit] if audit else []),
        # PATH (strict under --incompatible_strict_action_env) for a native
        # rustc's linker; rustc.wasm sees only the rustc_env it is given.
        use_default_shell_env = True,
        mnemonic = mnemonic,
        progress_message = "%s %s %s (%s)" % (doing, desc.noun, desc.label, "wasm" if tc.rustc_is_wasm else "native"),
    )

def _expanded_action(ctx, tc, desc, env, wasm_macros, inputs):
    """Registers the action that writes the crate's source after macro expansion.

    `-Zunpretty=expanded`, in the output group rust_expanded, to compare
    wasm and dylib macros.
    """
    expanded = ctx.actions.declare_file(desc.outputs[0].basename + ".expanded.rs", sibling = desc.outputs[0])
    ctx.actions.run(
        executable = tc.runner,
        arguments = [
            ctx.actions.args().add("rustc").add_all(_runner_args(ctx, desc, tc, env, wasm_macros, [expanded])).add_all(["--env", "RUSTC_BOOTSTRAP=1"]),
            _add_rustc_args(ctx, tc, desc, ctx.actions.args().add("--")).add_all(["-Zunpretty=expanded", "-o", expanded.path]),
        ],
        inputs = inputs,
        outputs = [expanded],
        use_default_shell_env = True,
        mnemonic = "RustExpand",
        progress_message = "Expanding Rust %s %s" % (desc.noun, desc.label),
    )
    return expanded
