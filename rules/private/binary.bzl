"""wasm_rust_binary and wasm_rust_test: a .wasm program and a launcher that runs it in the runner."""

load(":providers.bzl", "CrateInfo")
load(":rustc.bzl", "COMMON_ATTRS", "TOOLCHAIN_TYPE", "check_deps", "compile_crate", "crate_name_of", "crate_root_of")

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
exec "$r/{runner}" run --dir-follow-links "$r::/" --argv0 {argv0} "$r/{wasm}" {args} "$@"
"""

def _shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"

def _program(ctx, is_test):
    check_deps(ctx)
    tc = ctx.toolchains[TOOLCHAIN_TYPE].rustc_wasm
    name = crate_name_of(ctx)
    root = crate_root_of(ctx, ["main.rs"] if not is_test else ["lib.rs", "main.rs"])
    wasm = ctx.actions.declare_file(ctx.label.name + ".wasm")
    compile_crate(ctx, "bin", root, [wasm], [("link", wasm)], is_test = is_test)
    launcher = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.write(
        output = launcher,
        content = _LAUNCHER.format(
            workspace = ctx.workspace_name,
            runner = tc.runner_file.short_path,
            wasm = wasm.short_path,
            argv0 = _shell_quote(ctx.label.name),
            args = " ".join([_shell_quote(a) for a in ctx.attr.args_for_wasm]),
        ),
        is_executable = True,
    )
    runfiles = ctx.runfiles(files = [wasm, tc.runner_file] + ctx.files.data)
    return [
        DefaultInfo(executable = launcher, files = depset([launcher, wasm]), runfiles = runfiles),
        CrateInfo(
            name = name,
            type = "bin",
            edition = ctx.attr.edition,
            root = root,
            srcs = depset(ctx.files.srcs),
            output = wasm,
            metadata = None,
            transitive_outputs = depset(),
        ),
    ]

_PROGRAM_ATTRS = dict(COMMON_ATTRS)
_PROGRAM_ATTRS.update({
    "data": attr.label_list(
        doc = "Files the program reads at run time; they are in its runfiles, which it sees as /.",
        allow_files = True,
    ),
    "args_for_wasm": attr.string_list(
        doc = "Arguments always passed to the program, before those given on the command line.",
    ),
})

def _wasm_rust_binary_impl(ctx):
    return _program(ctx, is_test = False)

def _wasm_rust_test_impl(ctx):
    return _program(ctx, is_test = True)

wasm_rust_binary = rule(
    implementation = _wasm_rust_binary_impl,
    doc = "A Rust program compiled to `<name>.wasm`; `bazel run` executes it in the runner, with its runfiles as `/`.",
    attrs = _PROGRAM_ATTRS,
    executable = True,
    toolchains = [TOOLCHAIN_TYPE],
)

wasm_rust_test = rule(
    implementation = _wasm_rust_test_impl,
    doc = "A Rust `--test` harness compiled to `<name>.wasm`; `bazel test` executes it in the runner.",
    attrs = _PROGRAM_ATTRS,
    test = True,
    toolchains = [TOOLCHAIN_TYPE],
)
