"""The attributes every crate rule shares, and those of programs."""

load(":exec_side.bzl", "EXEC_SIDE_ATTRS", "TRANSITION_ALLOWLIST_ATTRS", "exec_side_transition", "macro_side_transition")
load(":providers.bzl", "BuildScriptInfo", "CrateInfo")

TOOLCHAIN_TYPE = "@rules_rustc_wasm//toolchain:toolchain_type"

# What describes a crate; the crate recipe (crate.bzl) reads each of them.
CRATE_ATTRS = {
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
    "version": attr.string(
        doc = "The crate's version (`CARGO_PKG_VERSION*` in its compile, 0.0.0 when empty, as Cargo's variables are always set); with the label it makes the crate's identity (`-Cmetadata`).",
    ),
    "pkg_name": attr.string(
        doc = "The Cargo package name (`CARGO_PKG_NAME`); default: the crate name (for a cargo_build_script, the target name).",
    ),
    "cargo_package": attr.string_dict(
        doc = "More of the package's Cargo.toml `[package]` table: `authors` (joined with `:`), `description`, `homepage`, `license`, `license_file`, `readme`, `repository`, `rust_version`. The compile and the build script get each as Cargo does (`CARGO_PKG_AUTHORS`, ...), empty when absent. The crates generator writes it.",
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
    # Not cfg = "exec": a wasm proc macro is the same file whatever the
    # host, so it builds in the configuration of the crate that uses it,
    # which is the one `bazel build //...` builds it in too: once a build.
    # The macro itself builds for the exec side (crate.bzl's
    # builds_for_exec), and its own deps are exec (proc_macro.bzl).
    "proc_macro_deps": attr.label_list(
        doc = "Proc macros (wasm_proc_macro) this crate uses. They build in this crate's configuration, for where the build runs (the toolchain's exec_triple; the host with a native rustc).",
        providers = [CrateInfo],
    ),
    "aliases": attr.label_keyed_string_dict(
        doc = "Renamed dependencies: a label of deps or proc_macro_deps to the name the crate uses for it (`--extern <name>=...`), as Cargo's `package = \"...\"` does.",
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
    "_audit": attr.label(default = "//settings:audit"),
    "_expanded": attr.label(default = "//settings:expanded"),
    "_wasm_macro_timeout": attr.label(default = "//settings:wasm_macro_timeout"),
    "_wasm_macro_max_memory_mib": attr.label(default = "//settings:wasm_macro_max_memory_mib"),
    "_wasm_macro_cache": attr.label(default = "//settings:wasm_macro_cache"),
    "_wasm_macro_opt_level": attr.label(default = "//settings:wasm_macro_opt_level"),
    "_wasm_macro_cache_report": attr.label(default = "//settings:wasm_macro_cache_report"),
    "_pipelined_compilation": attr.label(default = "//settings:pipelined_compilation"),
    "_use_worker": attr.label(default = "//settings:use_worker"),
    "_worker_protocol": attr.label(default = "//settings:worker_protocol"),
}
CRATE_ATTRS.update(EXEC_SIDE_ATTRS)

# The crates the rules build into wasm proc macros of a native rustc: our
# proc_macro (for the macro side) and the bridge of the native shims.
# macro_support.bzl builds them, without these attributes.
SUPPORT_CRATE_ATTRS = dict(CRATE_ATTRS)
CRATE_ATTRS.update(TRANSITION_ALLOWLIST_ATTRS)
CRATE_ATTRS["_wasm_macro_api"] = attr.label(
    default = "//proc_macro_wasm:proc_macro",
    providers = [CrateInfo],
    cfg = macro_side_transition,
)

# A library or proc macro may have a Cargo build script.
BUILD_SCRIPT_ATTR = {
    "build_script": attr.label(
        doc = "A cargo_build_script whose OUT_DIR, cfgs and env this crate's compile reads.",
        providers = [BuildScriptInfo],
    ),
}

# A library that leaves proc_macro out on WASI.
WASI_GATE_ATTR = {
    "wasm_macro_wasi_gate": attr.bool(
        doc = "When the library is built into wasm proc macros with a native rustc, rewrite its `target_os = \"wasi\"` cfgs to be false (into `all(target_os = \"wasi\", not(rules_rustc_wasm_macro_side))`): for crates such as syn 1, which leave out `extern crate proc_macro` on wasm32 WASI, where our proc_macro crate does provide it. The crates generator sets it for syn 1.",
    ),
}

# Programs (binaries, tests) run in the runner.
PROGRAM_ATTRS = {
    "data": attr.label_list(
        doc = "Files the program reads at run time; they are in its runfiles, which it sees as /.",
        allow_files = True,
    ),
    "args_for_wasm": attr.string_list(
        doc = "Arguments always passed to the program, before those given on the command line.",
    ),
    # The launcher runs on the target platform, so it ships the runner
    # built for the target configuration (the toolchain's runner is built
    # for the exec configuration, for compile actions).
    "_launcher_runner": attr.label(
        default = "//runner",
        executable = True,
        cfg = "target",
    ),
}

# Each rule's attributes, whole.

# wasm_rust_library.
LIBRARY_ATTRS = dict(CRATE_ATTRS, **dict(BUILD_SCRIPT_ATTR, **WASI_GATE_ATTR))

# wasm_rust_binary and wasm_rust_test.
BINARY_ATTRS = dict(CRATE_ATTRS, **PROGRAM_ATTRS)

# wasm_proc_macro: its deps and build script build where the macro runs.
PROC_MACRO_ATTRS = dict(CRATE_ATTRS)
PROC_MACRO_ATTRS["deps"] = attr.label_list(
    doc = "Libraries the macro uses, built where the macro runs; they are not passed on to the macro's users.",
    providers = [CrateInfo],
    cfg = macro_side_transition,
)
PROC_MACRO_ATTRS["build_script"] = attr.label(
    doc = "A cargo_build_script for the macro's crate, built for where the macro runs.",
    providers = [BuildScriptInfo],
    cfg = macro_side_transition,
)
PROC_MACRO_ATTRS["_wasm_macro_bridge"] = attr.label(
    default = "//proc_macro_wasm:bridge",
    providers = [CrateInfo],
    cfg = exec_side_transition,
)
PROC_MACRO_ATTRS["_wasm_macro_attrs"] = attr.label(
    default = "//proc_macro_wasm:attrs",
    providers = [CrateInfo],
    cfg = exec_side_transition,
)

# cargo_build_script: its deps build where the script runs.
BUILD_SCRIPT_ATTRS = dict(CRATE_ATTRS, **TRANSITION_ALLOWLIST_ATTRS)
BUILD_SCRIPT_ATTRS.update({
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
