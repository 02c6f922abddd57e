"""Bootstrap for Bazel 4.2.3 from Debian, offline: what this repository's own
WORKSPACE (and any workspace on such a machine) declares before
rules_rustc_wasm_dependencies().

    load("@rules_rustc_wasm//offline_bootstrap:deps.bzl", "debian_bazel4_dependencies")
    debian_bazel4_dependencies()

Bazel 4's @bazel_tools asks for @rules_cc, @rules_java and
@remote_coverage_tools, which it would otherwise download; skylib and
platforms come from Debian's bazel-skylib and bazel-platforms packages.
rules_go v0.34.0 (the newest Bazel 4 loads, patched for today's Go SDKs) and
gazelle v0.26.0 come from the Go module proxy, and so does the Go SDK: the
machine needs no go command. None of this is needed where Bazel can
download its own dependencies.
"""

load("@bazel_tools//tools/build_defs/repo:http.bzl", "http_archive")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("//offline_bootstrap:repos.bzl", "coverage_tools_stub", "go_module_vendored", "go_sdk_with_std", "rules_cc_shim")

# The project's pins are private to it; this repository's own packages read them.
# buildifier: disable=bzl-visibility
load("//rules/private:versions.bzl", "BOOTSTRAP_GO_MODULES", "GO_SDK_SHA256", "GO_VERSION", "proxy_zip")

_RULES_GO_PATCHES = [
    "@rules_rustc_wasm//offline_bootstrap/patches:rules_go-v0.34.0-tool-binary-goroot.patch",
    "@rules_rustc_wasm//offline_bootstrap/patches:rules_go-v0.34.0-local-sdk-go-env.patch",
    "@rules_rustc_wasm//offline_bootstrap/patches:rules_go-v0.34.0-asm-symabis-p.patch",
    "@rules_rustc_wasm//offline_bootstrap/patches:rules_go-v0.34.0-stdlib-installgoroot.patch",
]

def debian_bazel4_dependencies(debian_bazel_dir = "/usr/share/bazel"):
    """Declares Bazel 4's missing repositories, Debian's rule sets, rules_go 0.34, gazelle 0.26 and a Go SDK.

    Args:
      debian_bazel_dir: where Debian's bazel-skylib, bazel-platforms and
        bazel-rules-java packages put their rule sets.
    """
    maybe(rules_cc_shim, "rules_cc")
    maybe(coverage_tools_stub, "remote_coverage_tools")
    maybe(native.local_repository, "rules_java", path = debian_bazel_dir + "/rules/java")
    maybe(native.local_repository, "bazel_skylib", path = debian_bazel_dir + "/tools/skylib")
    maybe(native.local_repository, "platforms", path = debian_bazel_dir + "/tools/platforms")
    maybe(go_sdk_with_std, "go_sdk_std", go_version = GO_VERSION, sha256s = GO_SDK_SHA256)

    rules_go = BOOTSTRAP_GO_MODULES["io_bazel_rules_go"]
    zip = proxy_zip(rules_go["module"], rules_go["version"])
    maybe(
        http_archive,
        "io_bazel_rules_go",
        urls = [zip.url],
        sha256 = rules_go["sha256"],
        strip_prefix = zip.strip_prefix,
        type = "zip",
        patches = _RULES_GO_PATCHES,
        # GNU patch: Bazel 4's own patcher misreads multi-file diffs.
        patch_tool = "patch",
        patch_args = ["-p1", "--no-backup-if-mismatch"],
    )
    gazelle = BOOTSTRAP_GO_MODULES["bazel_gazelle"]
    maybe(
        go_module_vendored,
        "bazel_gazelle",
        module = gazelle["module"],
        version = gazelle["version"],
        sha256 = gazelle["sha256"],
    )
