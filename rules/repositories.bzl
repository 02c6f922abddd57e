"""WORKSPACE macros of rules_rustc_wasm, stage 1.

    load("@rules_rustc_wasm//rules:repositories.bzl", "rules_rustc_wasm_dependencies", "rustc_wasm_register_toolchains")
    rules_rustc_wasm_dependencies()

    load("@rules_rustc_wasm//rules:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
    rules_rustc_wasm_go_dependencies()

    # A Rust distribution, a directory or an archive: one holding bin/rustc.wasm
    # is a rustc.wasm (lib/rustlib/<target>/lib/*.rlib beside it) ...
    rustc_wasm_register_toolchains(name = "rustc_wasm", dist_path = "/opt/rustc-wasm/dist")
    # ... one holding bin/rustc a native rustc laid out as rustup's toolchains
    # (its target's std added with `rustup target add wasm32-wasip1`):
    rustc_wasm_register_toolchains(name = "rust", dist_path = "/home/me/.rustup/toolchains/1.95.0-x86_64-unknown-linux-gnu")
    # either kind downloaded:
    rustc_wasm_register_toolchains(name = "rust", urls = ["https://.../rust.tar.gz"], sha256 = "...", strip_prefix = "rust-1.96.0")
    # or an installed native rustc (the target follows its release:
    # wasm32-wasip1 from 1.78, wasm32-wasi before):
    rustc_wasm_register_toolchains(name = "rustc_native", native_rustc = "/usr/bin/rustc")

Each repository is declared only if the workspace has not declared it
already, so a workspace may bring its own rules_go and gazelle (as the
offline bootstrap does for Bazel 4, in //offline_bootstrap).
"""

load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//rules/private:toolchain_repos.bzl", "rustc_toolchain_repository")
load("//rules/private:versions.bzl", "GAZELLE", "RULES_GO", "proxy_zip")

def rules_rustc_wasm_dependencies():
    """Declares rules_go and gazelle (rules/private/versions.bzl) unless the workspace has them.

    Plain archives by URL and SHA-256, from the Go module proxy: no go
    command is needed on the machine.
    """
    for name, module in [("io_bazel_rules_go", RULES_GO), ("bazel_gazelle", GAZELLE)]:
        zip = proxy_zip(module["module"], module["version"])
        maybe(
            http_archive,
            name,
            urls = [zip.url],
            sha256 = module["sha256"],
            strip_prefix = zip.strip_prefix,
            type = "zip",
        )

def rustc_wasm_register_toolchains(
        name = "rustc_wasm",
        dist_path = None,
        urls = None,
        sha256 = None,
        strip_prefix = "",
        native_rustc = None,
        target = None,
        exec_triple = None,
        proc_macro_kind = None,
        register = True):
    """Declares a rustc toolchain repository @<name> and registers @<name>//:toolchain.

    Give exactly one of dist_path, urls or native_rustc.

    Args:
      name: the repository name.
      dist_path: a local Rust distribution directory: bin/rustc.wasm (a
        rustc.wasm) or bin/rustc (a native rustc laid out as rustup's
        toolchains: lib/, lib/rustlib/<triple>/lib).
      urls: where to download a Rust distribution archive (either kind).
      sha256: the archive's SHA-256, required with urls.
      strip_prefix: a directory prefix to strip from the archive.
      native_rustc: path of an installed native rustc (the native flavour).
      target: the target triple; by default wasm32-wasip1, or wasm32-wasi
        for a native rustc older than 1.78.
      exec_triple: the target a rustc.wasm loads proc macros for
        (default wasm32-wasip1-threads; its libraries must be in the
        distribution's lib/rustlib too).
      proc_macro_kind: with a native rustc: "wasm" (the default: each proc
        macro becomes lib<name>.wasm, built by that rustc for target and
        expanded by the runner in wazero) or "dylib" (host dylibs).
      register: whether to call register_toolchains.
    """
    rustc_toolchain_repository(
        where = "rustc_wasm_register_toolchains(name = %r)" % name,
        name = name,
        dist_path = dist_path or "",
        urls = urls or [],
        sha256 = sha256 or "",
        strip_prefix = strip_prefix,
        native_rustc = native_rustc or "",
        target = target or "",
        exec_triple = exec_triple or "",
        proc_macro_kind = proc_macro_kind or "",
    )
    if register:
        native.register_toolchains("@%s//:toolchain" % name)
