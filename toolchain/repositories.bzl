"""WORKSPACE macros, stage 1: the repositories rules_rustc_wasm needs.

In WORKSPACE:

    load("@rules_rustc_wasm//toolchain:repositories.bzl", "rules_rustc_wasm_dependencies")
    rules_rustc_wasm_dependencies()
    load("@rules_rustc_wasm//toolchain:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
    rules_rustc_wasm_go_dependencies()
    load("@rules_rustc_wasm//toolchain:toolchains.bzl", "rustc_wasm_register_toolchains")
    rustc_wasm_register_toolchains(name = "rustc_wasm", dist_path = "/opt/rustc-wasm/dist")

Each repository is declared only if the workspace has not declared it
already, so a workspace may bring its own rules_go, skylib and so on.
"""

load("//toolchain/private:offline_repos.bzl", "coverage_tools_stub", "go_module_archive", "maybe", "rules_cc_shim")

# Where Debian's bazel-* packages put their rule sets.
_DEBIAN_BAZEL = "/usr/share/bazel"

def rules_rustc_wasm_dependencies(debian_bazel_dir = _DEBIAN_BAZEL):
    """Declares rules_go, gazelle and what Bazel's own tools need.

    Args:
      debian_bazel_dir: where bazel_skylib, platforms and rules_java are found
        as local repositories (Debian's bazel-skylib, bazel-platforms and
        bazel-rules-java packages).
    """
    maybe(rules_cc_shim, "rules_cc")
    maybe(coverage_tools_stub, "remote_coverage_tools")
    maybe(native.local_repository, "rules_java", path = debian_bazel_dir + "/rules/java")
    maybe(native.local_repository, "bazel_skylib", path = debian_bazel_dir + "/tools/skylib")
    maybe(native.local_repository, "platforms", path = debian_bazel_dir + "/tools/platforms")
    maybe(
        go_module_archive,
        "io_bazel_rules_go",
        module = "github.com/bazelbuild/rules_go",
        version = "v0.34.0",
        sum = "h1:cmObMtgIOaEU944SqXtJ9DnlS8IPGGa7pdRnsrpQzXM=",
        patches = [
            "@rules_rustc_wasm//toolchain/patches:rules_go-v0.34.0-tool-binary-goroot.patch",
            "@rules_rustc_wasm//toolchain/patches:rules_go-v0.34.0-local-sdk-go-env.patch",
            "@rules_rustc_wasm//toolchain/patches:rules_go-v0.34.0-asm-symabis-p.patch",
            "@rules_rustc_wasm//toolchain/patches:rules_go-v0.34.0-stdlib-installgoroot.patch",
        ],
    )
    maybe(
        go_module_archive,
        "bazel_gazelle",
        module = "github.com/bazelbuild/bazel-gazelle",
        version = "v0.26.0",
        sum = "h1:/gh8S450+nfr3wYI6bTYEi297obbVcMObavhPuB7LVo=",
        go_mod_vendor = True,
    )
