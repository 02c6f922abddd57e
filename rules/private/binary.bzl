"""wasm_rust_binary and wasm_rust_test: a .wasm program and a launcher that runs it in the runner."""

load(":attrs.bzl", "BINARY_ATTRS", "TOOLCHAIN_TYPE")
load(":crate.bzl", "compile_crate", "crate_output_groups")

_LAUNCHER = """#!/bin/sh
# Runs {wasm} in the rules_rustc_wasm runner, with the runfiles as /.
set -e
if [ -n "${{RUNFILES_DIR:-}}" ]; then
  r="$RUNFILES_DIR/{workspace}"
elif [ -d "$0.runfiles/{workspace}" ]; then
  r="$0.runfiles/{workspace}"
else
  r="$PWD"
fi
exec "$r/{runner}" {verb} --dir-follow-links "$r::/" --argv0 {argv0} "$r/{wasm}" {args} "$@"
"""

# A test runs in the runner's test verb: a test an instance, Bazel's test
# contract ($TESTBRIDGE_TEST_ONLY, sharding, $TEST_TMPDIR at /tmp, JUnit XML
# in $XML_OUTPUT_FILE), the environment of bazel test (--test_env) but host
# paths. Its arguments ("$@": --test_arg) are the harness's.
_TEST_VERB = "test --env-from-host"

def _shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"

def _program(ctx, is_test):
    crate = compile_crate(ctx, "bin", ["lib.rs", "main.rs"] if is_test else ["main.rs"], is_test = is_test)
    wasm = crate.output
    runner = ctx.executable._launcher_runner
    launcher = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.write(
        output = launcher,
        content = _LAUNCHER.format(
            workspace = ctx.workspace_name,
            runner = runner.short_path,
            verb = _TEST_VERB if is_test else "run",
            wasm = wasm.short_path,
            argv0 = _shell_quote(ctx.label.name),
            args = " ".join([_shell_quote(a) for a in ctx.attr.args_for_wasm]),
        ),
        is_executable = True,
    )
    runfiles = ctx.runfiles(files = [wasm] + ctx.files.data)
    runfiles = runfiles.merge(ctx.attr._launcher_runner[DefaultInfo].default_runfiles)
    return [
        DefaultInfo(executable = launcher, files = depset([launcher, wasm]), runfiles = runfiles),
        crate,
        crate_output_groups(crate),
    ]

def _wasm_rust_binary_impl(ctx):
    return _program(ctx, is_test = False)

def _wasm_rust_test_impl(ctx):
    return _program(ctx, is_test = True)

wasm_rust_binary = rule(
    implementation = _wasm_rust_binary_impl,
    doc = "A Rust program compiled to `<name>.wasm`; `bazel run` executes it in the runner, with its runfiles as `/`.",
    attrs = BINARY_ATTRS,
    executable = True,
    toolchains = [TOOLCHAIN_TYPE],
)

wasm_rust_test = rule(
    implementation = _wasm_rust_test_impl,
    doc = "A Rust `--test` harness compiled to `<name>.wasm`; `bazel test` executes it in the runner.",
    attrs = BINARY_ATTRS,
    test = True,
    toolchains = [TOOLCHAIN_TYPE],
)
