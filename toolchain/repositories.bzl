"""WORKSPACE macros of rules_rustc_wasm: the code behind
//rules:repositories.bzl, where users load them (its doc shows their use).

Each repository is declared only if the workspace has not declared it
already, so a workspace may bring its own rules_go and gazelle (as the
offline bootstrap does for Bazel 4, in //offline_bootstrap).
"""

load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//toolchain:versions.bzl", "GAZELLE", "RULES_GO", "proxy_zip")
load("//toolchain/private:toolchain_repos.bzl", "rustc_toolchain_repository")

def rules_rustc_wasm_dependencies():
    """Declares rules_go and gazelle (toolchain/versions.bzl) unless the workspace has them.

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
