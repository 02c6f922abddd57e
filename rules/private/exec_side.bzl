"""The exec side: what proc macros and build scripts use builds for where
the build runs, marked by a build setting instead of Bazel's exec
configuration (whose output paths change with --host_platform)."""

# A transition names its settings by string, read against the main
# repository: the canonical form of the label is "//..." when these rules
# are the main repository and "@rules_rustc_wasm//..." when they are not.
EXEC_SIDE_SETTING = str(Label("//rules/private:exec_side"))

def _exec_side_impl(_settings, _attr):
    return {EXEC_SIDE_SETTING: True}

exec_side_transition = transition(
    implementation = _exec_side_impl,
    inputs = [],
    outputs = [EXEC_SIDE_SETTING],
)

# Every crate rule reads the setting.
EXEC_SIDE_ATTRS = {
    "_exec_side": attr.label(default = EXEC_SIDE_SETTING),
}

# Rules that use exec_side_transition on an attribute need this too.
TRANSITION_ALLOWLIST_ATTRS = {
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}
