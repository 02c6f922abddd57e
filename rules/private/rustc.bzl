"""The one action builder of the rules: a rustc command line run by the runner."""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")
load(":providers.bzl", "CrateInfo")

TOOLCHAIN_TYPE = "@rules_rustc_wasm//toolchain:toolchain_type"

def crate_name_of(ctx):
    """The crate name: the crate_name attribute, or the target name with - as _.

    Args:
      ctx: the rule context.

    Returns:
      The crate name.
    """
    return ctx.attr.crate_name or ctx.label.name.replace("-", "_")

def crate_root_of(ctx, default_names):
    """The crate root: crate_root, the only source, or one of default_names.

    Args:
      ctx: the rule context.
      default_names: file names that mark a crate root, such as lib.rs.

    Returns:
      The crate root File.
    """
    if ctx.file.crate_root:
        return ctx.file.crate_root
    srcs = ctx.files.srcs
    if len(srcs) == 1:
        return srcs[0]
    for f in srcs:
        if f.basename in default_names:
            return f
    fail("%s: cannot tell the crate root among %d sources; set crate_root (or name one of them %s)" % (
        ctx.label,
        len(srcs),
        " or ".join(default_names),
    ))

def check_deps(ctx):
    """Fails analysis when a proc macro is in deps or a library in proc_macro_deps.

    Args:
      ctx: the rule context.
    """
    for dep in ctx.attr.deps:
        info = dep[CrateInfo]
        if info.type == "proc-macro":
            fail("%s: %s is a proc macro; list it in proc_macro_deps, not deps" % (ctx.label, dep.label))
        if info.type == "bin":
            fail("%s: %s is a binary; only libraries belong in deps" % (ctx.label, dep.label))
    for dep in getattr(ctx.attr, "proc_macro_deps", []):
        if dep[CrateInfo].type != "proc-macro":
            fail("%s: %s is a %s, not a proc macro; list it in deps, not proc_macro_deps" % (
                ctx.label,
                dep.label,
                dep[CrateInfo].type,
            ))

def _in_exec_configuration(ctx):
    # Bazel 4 builds cfg = "exec" dependencies in its host configuration;
    # newer Bazels name exec configurations "...-exec-...".
    path = ctx.bin_dir.path
    return path.startswith("bazel-out/host/") or "-exec-" in path

def builds_for_host(ctx, crate_type):
    """Whether a crate builds for the host rather than the toolchain's target.

    With host dylib proc macros (a native rustc), proc macros and the crates
    they depend on (built in the exec configuration) build for the host.

    Args:
      ctx: the rule context.
      crate_type: `rlib`, `proc-macro` or `bin`.

    Returns:
      True when the crate builds for the host.
    """
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    if tc.proc_macro_kind != "dylib":
        return False
    return crate_type == "proc-macro" or _in_exec_configuration(ctx)

def _dirname(f):
    return f.dirname

def _extern(info):
    return "--extern=%s=%s" % (info.name, info.output.path)

def compile_crate(ctx, crate_type, root, outputs, emit, is_test = False):
    """Registers the rustc action of one crate.

    Args:
      ctx: the rule context.
      crate_type: `rlib`, `proc-macro` or `bin`.
      root: the crate root File.
      outputs: the Files rustc writes.
      emit: list of `KIND=File` pairs for `--emit`.
      is_test: compile a `--test` harness.

    Returns:
      The depset of transitive crate outputs the crate's dependents need.
    """
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    deps = [d[CrateInfo] for d in ctx.attr.deps]
    macros = [d[CrateInfo] for d in getattr(ctx.attr, "proc_macro_deps", [])]
    direct = deps + macros

    # The crates a dependent may load: each direct dependency's pair and what
    # it carries, but never a proc macro's own dependencies.
    transitive = depset(
        [f for c in direct for f in [c.output, c.metadata] if f],
        transitive = [c.transitive_outputs for c in deps],
    )

    # Everything of one action goes into its parameter file: a persistent
    # worker gets the file's lines as a work request, and Bazel shares a
    # worker among actions whose other arguments are the same.
    args = ctx.actions.args()
    args.add("--compiler", tc.rustc)
    args.add_all(outputs, before_each = "--out")
    args.add_all(["%s=%s" % (k, v) for k, v in sorted(ctx.attr.rustc_env.items())], before_each = "--env")
    args.add("--")
    args.add(root)
    args.add("--crate-name=" + crate_name_of(ctx))
    args.add("--crate-type=" + crate_type)
    args.add("--edition=" + ctx.attr.edition)
    args.add("--emit=" + ",".join(["%s=%s" % (kind, f.path) for kind, f in emit]))
    if is_test:
        args.add("--test")
    if not builds_for_host(ctx, crate_type):
        args.add("--target=" + tc.target)
    args.add("--sysroot=" + tc.sysroot)
    if ctx.var["COMPILATION_MODE"] == "opt":
        args.add("-Copt-level=3")
    else:
        args.add("-Copt-level=0")
    args.add_all(ctx.attr.crate_features, format_each = "--cfg=feature=\"%s\"")
    if crate_type == "proc-macro":
        args.add("--extern=proc_macro")
    args.add_all(direct, map_each = _extern)
    args.add_all(transitive, map_each = _dirname, format_each = "-Ldependency=%s", uniquify = True)
    args.add_all(tc.rustc_flags)
    args.add_all(ctx.attr.rustc_flags)
    args.use_param_file("@%s", use_always = True)
    args.set_param_file_format("multiline")

    startup = ctx.actions.args()
    startup.add("rustc")
    requirements = {}
    if ctx.attr._use_worker[BuildSettingInfo].value:
        protocol = ctx.attr._worker_protocol[BuildSettingInfo].value
        startup.add("--worker_protocol=" + protocol)
        requirements = {
            "requires-worker-protocol": protocol,
            "supports-multiplex-workers": "1",
            "supports-worker-cancellation": "1",
            "supports-workers": "1",
        }

    kind = {"rlib": "library", "proc-macro": "proc-macro", "bin": "test" if is_test else "binary"}[crate_type]
    flavour = "wasm" if tc.rustc_is_wasm else "native"
    ctx.actions.run(
        executable = tc.runner,
        arguments = [startup, args],
        execution_requirements = requirements,
        inputs = depset(
            ctx.files.srcs + ctx.files.compile_data + [tc.rustc],
            transitive = [transitive, tc.sysroot_files],
        ),
        outputs = outputs,
        # PATH (strict under --incompatible_strict_action_env) for a native
        # rustc's linker; rustc.wasm sees only the rustc_env it is given.
        use_default_shell_env = True,
        mnemonic = "RustcWasm",
        progress_message = "Compiling Rust %s %s (%s)" % (kind, ctx.label, flavour),
    )
    return transitive

COMMON_ATTRS = {
    "srcs": attr.label_list(
        doc = "The crate's Rust sources.",
        allow_files = [".rs"],
        mandatory = True,
    ),
    "crate_root": attr.label(
        doc = "The crate root; defaults to the only source, or to lib.rs/main.rs among them.",
        allow_single_file = [".rs"],
    ),
    "crate_name": attr.string(
        doc = "The crate name; defaults to the target name with - replaced by _.",
    ),
    "edition": attr.string(
        doc = "The Rust edition.",
        default = "2021",
        values = ["2015", "2018", "2021", "2024"],
    ),
    "deps": attr.label_list(
        doc = "Libraries (wasm_rust_library) this crate uses. Proc macros go in proc_macro_deps.",
        providers = [CrateInfo],
    ),
    "proc_macro_deps": attr.label_list(
        doc = "Proc macros (wasm_proc_macro) this crate uses. They are built for the exec configuration.",
        providers = [CrateInfo],
        cfg = "exec",
    ),
    "rustc_flags": attr.string_list(
        doc = "Extra rustc flags.",
    ),
    "crate_features": attr.string_list(
        doc = "Features enabled with `--cfg feature=\"...\"`.",
    ),
    "rustc_env": attr.string_dict(
        doc = "Environment of the compile action, for `env!()`.",
    ),
    "compile_data": attr.label_list(
        doc = "Files the compiler reads, for `include_str!()` and the like.",
        allow_files = True,
    ),
    "_use_worker": attr.label(default = "//toolchain:use_worker"),
    "_worker_protocol": attr.label(default = "//toolchain:worker_protocol"),
}
