"""cargo_build_script: a crate's build.rs, compiled and run under Cargo's contract."""

load("//rules/private/actions:build_script.bzl", "build_script_action")
load(":attrs.bzl", "BUILD_SCRIPT_ATTRS", "TOOLCHAIN_TYPE")
load(":cargo_env.bzl", "cargo_package_env")
load(":crate.bzl", "builds_for_exec", "compile_crate", "on_wasm_macro_side", "package_dir", "target_triple")
load(":outputs.bzl", "crate_dir", "declare_crate_output")
load(":providers.bzl", "BuildScriptInfo")

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
        bin_name = crate_dir(ctx.label) + "build_script_build",
    ).output

    # The crate the script serves builds where this target is configured.
    crate_triple = target_triple(ctx, tc, "rlib", builds_for_exec(ctx, "rlib"))
    if crate_triple == tc.target:
        # A crate built into wasm macros may build against an unwinding std.
        crate_cfg = tc.macro_target_cfg if on_wasm_macro_side(ctx, tc) else tc.target_cfg
    else:
        crate_triple, crate_cfg = crate_triple or tc.exec_triple, tc.exec_cfg

    out_dir = declare_crate_output(ctx, "out_dir", directory = True)
    flags = declare_crate_output(ctx, "rustc_flags")
    env_file = declare_crate_output(ctx, "rustc_env")
    manifest_dir = package_dir(ctx.label)

    package_env = cargo_package_env(ctx, ctx.attr.version, ctx.label.name)
    extra_cfgs = list(ctx.attr.extra_cfgs)
    if on_wasm_macro_side(ctx, tc):
        # The crate is built into wasm macros: proc_macro is there (our
        # //proc_macro_wasm crate), although the script cannot tell on wasm32.
        extra_cfgs += ctx.attr.wasm_flavour_cfgs
    build_script_action(ctx, tc, script, struct(
        package_name = package_env["CARGO_PKG_NAME"],
        target = crate_triple,
        manifest_dir = manifest_dir,
        env = _script_env(ctx, tc, package_env, crate_triple, crate_cfg),
        extra_cfgs = extra_cfgs,
        wasm_cfgs = ctx.attr.wasm_flavour_cfgs,
        inputs = ctx.files.data + ctx.files.srcs,
        out_dir = out_dir,
        flags = flags,
        env_file = env_file,
    ))
    return [
        DefaultInfo(files = depset([out_dir, flags, env_file])),
        BuildScriptInfo(out_dir = out_dir, flags = flags, env = env_file),
    ]

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
    attrs = BUILD_SCRIPT_ATTRS,
    toolchains = [TOOLCHAIN_TYPE],
)
