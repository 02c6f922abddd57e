"""The runner's `run` and `test` verbs: the launcher script of a binary or test target."""

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

def launcher_action(ctx, runner, wasm, is_test, args_for_wasm):
    """Writes the executable that runs a program's module in the runner.

    Args:
      ctx: the rule context (the launcher takes the target's name).
      runner: the runner executable, in the target's runfiles.
      wasm: the program's module.
      is_test: run it with the `test` verb (Bazel's test contract).
      args_for_wasm: arguments the program gets before the user's own.

    Returns:
      The launcher File.
    """
    launcher = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.write(
        output = launcher,
        content = _LAUNCHER.format(
            workspace = ctx.workspace_name,
            runner = runner.short_path,
            verb = _TEST_VERB if is_test else "run",
            wasm = wasm.short_path,
            argv0 = _shell_quote(ctx.label.name),
            args = " ".join([_shell_quote(a) for a in args_for_wasm]),
        ),
        is_executable = True,
    )
    return launcher
