"""cargo_build_script: a crate's build.rs, compiled and run under Cargo's contract."""

load(":attrs.bzl", "CRATE_ATTRS", "TOOLCHAIN_TYPE")
load(":cargo_env.bzl", "cargo_package_env")
load(":crate.bzl", "builds_for_exec", "compile_crate", "on_wasm_macro_side", "package_dir", "target_triple")
load(":exec_side.bzl", "TRANSITION_ALLOWLIST_ATTRS", "exec_side_transition")
load(":providers.bzl", "BuildScriptInfo", "CrateInfo")

def _cfg_env(cfg_lines):
    """CARGO_CFG_* from `rustc --print cfg` lines, as Cargo sets them."""
    values = {}
    order = []
    for line in cfg_lines:
        key, _, value = line.partition("=")
        name = "CARGO_CFG_" + key.upper().replace("-", "_")
        if name not in values:
            values[name] = []
            order.append(name)
        if value:
            values[name].append(value.strip("\""))
    return {name: ",".join(values[name]) for name in order}

def _script_env(ctx, tc, package_env, crate_triple, crate_cfg):
    opt = ctx.var["COMPILATION_MODE"] == "opt"
    env = {
        "DEBUG": "false" if opt else "true",
        "HOST": tc.exec_triple,
        "NUM_JOBS": "1",
        "OPT_LEVEL": "3" if opt else "0",
        "PROFILE": "release" if opt else "debug",
        "TARGET": crate_triple,
    }
    env.update(package_env)
    if ctx.attr.links:
        env["CARGO_MANIFEST_LINKS"] = ctx.attr.links
    for f in ctx.attr.crate_features:
        env["CARGO_FEATURE_" + f.upper().replace("-", "_")] = "1"
    env.update(_cfg_env(crate_cfg))
    env.update(ctx.attr.build_script_env)
    return env

def _cargo_build_script_impl(ctx):
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm

    # The script runs where the build runs: a host executable with a
    # native rustc, a module for exec_triple in the runner with rustc.wasm.
    script = compile_crate(
        ctx,
        "bin",
        ["build.rs"],
        crate_name = "build_script_build",
        for_exec = True,
        bin_name = "_rustc_wasm/%s/build_script_build" % ctx.label.name,
    ).output

    # The crate the script serves builds where this target is configured.
    crate_triple = target_triple(ctx, tc, "rlib", builds_for_exec(ctx, "rlib"))
    if crate_triple == tc.target:
        crate_cfg = tc.target_cfg
    else:
        crate_triple, crate_cfg = crate_triple or tc.exec_triple, tc.exec_cfg

    stem = "_rustc_wasm/%s/" % ctx.label.name
    out_dir = ctx.actions.declare_directory(stem + "out_dir")
    flags = ctx.actions.declare_file(stem + "rustc_flags")
    env_file = ctx.actions.declare_file(stem + "rustc_env")
    manifest_dir = package_dir(ctx.label)

    package_env = cargo_package_env(ctx, ctx.attr.version or "0.0.0", ctx.label.name)
    args = ctx.actions.args()
    args.add("build-script")
    args.add("--crate", package_env["CARGO_PKG_NAME"])
    args.add("--target", crate_triple)
    args.add("--manifest-dir", manifest_dir)
    args.add("--out-dir", out_dir.path)
    args.add("--flags-out", flags)
    args.add("--env-out", env_file)
    args.add("--env-path", "RUSTC=" + tc.rustc.path)
    args.add_all(["%s=%s" % kv for kv in sorted(_script_env(ctx, tc, package_env, crate_triple, crate_cfg).items())], before_each = "--env")
    args.add_all(ctx.attr.extra_cfgs, before_each = "--extra-cfg")
    args.add_all(ctx.attr.wasm_flavour_cfgs, before_each = "--wasm-cfg")
    if on_wasm_macro_side(ctx, tc):
        # The crate is built into wasm macros: proc_macro is there (our
        # //proc_macro_wasm crate), although the script cannot tell on wasm32.
        args.add_all(ctx.attr.wasm_flavour_cfgs, before_each = "--extra-cfg")
    args.add("--")
    args.add(script)

    ctx.actions.run(
        executable = tc.runner,
        arguments = [args],
        inputs = depset([script, tc.rustc] + ctx.files.data + ctx.files.srcs),
        outputs = [out_dir, flags, env_file],
        # PATH for a native script (and the rustc it may run).
        use_default_shell_env = True,
        mnemonic = "CargoBuildScript",
        progress_message = "Running build script of %s (%s)" % (ctx.label, "wasm" if tc.rustc_is_wasm else "native"),
    )
    return [
        DefaultInfo(files = depset([out_dir, flags, env_file])),
        BuildScriptInfo(out_dir = out_dir, flags = flags, env = env_file),
    ]

_ATTRS = dict(CRATE_ATTRS, **TRANSITION_ALLOWLIST_ATTRS)
_ATTRS.update({
    "deps": attr.label_list(
        doc = "The script's build-dependencies (libraries), built where the script runs.",
        providers = [CrateInfo],
        cfg = exec_side_transition,
    ),
    "crate_root": attr.label(
        doc = "The script, `build.rs` by default.",
        allow_single_file = [".rs"],
    ),
    "links": attr.string(
        doc = "The package's `links` key (`CARGO_MANIFEST_LINKS`).",
    ),
    "data": attr.label_list(
        doc = "The package's files the script reads; they are in its working directory, the package directory (`CARGO_MANIFEST_DIR`).",
        allow_files = True,
    ),
    "build_script_env": attr.string_dict(
        doc = "More environment for the script; it overrides what the rule sets.",
    ),
    "extra_cfgs": attr.string_list(
        doc = "cfgs added to the crate's compile as if the script had printed them.",
    ),
    "wasm_flavour_cfgs": attr.string_list(
        doc = "cfgs added when the script runs as WebAssembly (the wasm flavour), where it cannot run `$RUSTC --version` to probe the compiler: what it would have printed for this toolchain's rustc. Also added when the crate is built into wasm proc macros with a native rustc, where the script sees a wasm32 target without proc_macro.",
    ),
})

cargo_build_script = rule(
    implementation = _cargo_build_script_impl,
    doc = """A Cargo build script: compiled, then run under Cargo's contract.

The script runs in one action with `OUT_DIR` (a declared directory),
`CARGO_MANIFEST_DIR` (the package, also its working directory),
`CARGO_PKG_*`, `CARGO_FEATURE_*`, `CARGO_CFG_*`, `TARGET`, `HOST`, `RUSTC`,
`PROFILE`, `OPT_LEVEL`, `DEBUG` and `NUM_JOBS`. What it prints
(`cargo:rustc-cfg`, `cargo:rustc-env`, `cargo:rustc-check-cfg`,
`cargo:rustc-link-*`, `cargo:warning`) is written to files that the crate's
compile reads; set the crate's `build_script` to this target. With a native
rustc the script is a host program run in Bazel's sandbox; with rustc.wasm it
is a wasm32 module the runner runs with only the package (read-only) and
`OUT_DIR` mounted.
""",
    attrs = _ATTRS,
    toolchains = [TOOLCHAIN_TYPE],
)
