"""The attributes every crate rule shares, and those of programs."""

load(":exec_side.bzl", "EXEC_SIDE_ATTRS")
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
        doc = "The crate's version (`CARGO_PKG_VERSION*` in its compile); with the label it makes the crate's identity (`-Cmetadata`).",
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
    "_audit": attr.label(default = "//toolchain:audit"),
    "_use_worker": attr.label(default = "//toolchain:use_worker"),
    "_worker_protocol": attr.label(default = "//toolchain:worker_protocol"),
}
CRATE_ATTRS.update(EXEC_SIDE_ATTRS)

# A library or proc macro may have a Cargo build script.
BUILD_SCRIPT_ATTR = {
    "build_script": attr.label(
        doc = "A cargo_build_script whose OUT_DIR, cfgs and env this crate's compile reads.",
        providers = [BuildScriptInfo],
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
