"""The exec side and the macro side.

What proc macros and build scripts use builds for where the build runs,
marked by build settings instead of Bazel's exec configuration (whose
output paths change with --host_platform):
- the exec side: build scripts and their deps (host programs with a native
  rustc; exec_triple modules with rustc.wasm);
- the macro side, a part of the exec side: what a proc macro uses. With a
  native rustc and wasm proc macros it builds for the target's wasm32 WASI
  triple with our proc_macro crate (crate.bzl's target_triple); otherwise
  it is built as the rest of the exec side.
"""

# A transition names its settings by string, read against the main
# repository: the canonical form of the label is "//..." when these rules
# are the main repository and "@rules_rustc_wasm//..." when they are not.
EXEC_SIDE_SETTING = str(Label("//rules/private:exec_side"))
MACRO_SIDE_SETTING = str(Label("//rules/private:macro_side"))

def _exec_side_impl(_settings, _attr):
    return {EXEC_SIDE_SETTING: True, MACRO_SIDE_SETTING: False}

exec_side_transition = transition(
    implementation = _exec_side_impl,
    inputs = [],
    outputs = [EXEC_SIDE_SETTING, MACRO_SIDE_SETTING],
)

def _macro_side_impl(_settings, _attr):
    return {EXEC_SIDE_SETTING: True, MACRO_SIDE_SETTING: True}

macro_side_transition = transition(
    implementation = _macro_side_impl,
    inputs = [],
    outputs = [EXEC_SIDE_SETTING, MACRO_SIDE_SETTING],
)

# Every crate rule reads the settings.
EXEC_SIDE_ATTRS = {
    "_exec_side": attr.label(default = EXEC_SIDE_SETTING),
    "_macro_side": attr.label(default = MACRO_SIDE_SETTING),
}

# Rules that use these transitions on an attribute need this too.
TRANSITION_ALLOWLIST_ATTRS = {
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}
