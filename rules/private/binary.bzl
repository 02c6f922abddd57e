"""wasm_rust_binary and wasm_rust_test: a .wasm program and a launcher that runs it in the runner."""

load("//rules/private/actions:launcher.bzl", "launcher_action")
load(":attrs.bzl", "BINARY_ATTRS", "TOOLCHAIN_TYPE")
load(":crate.bzl", "compile_crate", "crate_output_groups")

def _program(ctx, is_test):
    info = compile_crate(ctx, "bin", ["lib.rs", "main.rs"] if is_test else ["main.rs"], is_test = is_test)
    wasm = info.output
    launcher = launcher_action(ctx, ctx.executable._launcher_runner, wasm, is_test, ctx.attr.args_for_wasm)
    runfiles = ctx.runfiles(files = [wasm] + ctx.files.data)
    runfiles = runfiles.merge(ctx.attr._launcher_runner[DefaultInfo].default_runfiles)
    return [
        DefaultInfo(executable = launcher, files = depset([launcher, wasm]), runfiles = runfiles),
        info,
        crate_output_groups(info),
    ]

def _wasm_rust_binary_impl(ctx):
    return _program(ctx, is_test = False)

def _wasm_rust_test_impl(ctx):
    return _program(ctx, is_test = True)

# What the two program rules share (rule() needs `executable` or `test`).
_PROGRAM_RULE = {"attrs": BINARY_ATTRS, "toolchains": [TOOLCHAIN_TYPE]}

wasm_rust_binary = rule(
    implementation = _wasm_rust_binary_impl,
    doc = "A Rust program compiled to `<name>.wasm`; `bazel run` executes it in the runner, with its runfiles as `/`.",
    executable = True,
    **_PROGRAM_RULE
)

wasm_rust_test = rule(
    implementation = _wasm_rust_test_impl,
    doc = "A Rust `--test` harness compiled to `<name>.wasm`; `bazel test` executes it in the runner.",
    test = True,
    **_PROGRAM_RULE
)
