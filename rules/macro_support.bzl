"""The rules that build //proc_macro_wasm's crates: the proc_macro API inside
wasm proc macros, the bridge of their native shims and the attribute macros
that stand in for #[proc_macro*]. For rules_rustc_wasm itself, not part of
the public API (that is //rules:defs.bzl)."""

load(
    "//rules/private:macro_support.bzl",
    _macro_support_library = "macro_support_library",
    _macro_support_proc_macro = "macro_support_proc_macro",
)

macro_support_library = _macro_support_library
macro_support_proc_macro = _macro_support_proc_macro
