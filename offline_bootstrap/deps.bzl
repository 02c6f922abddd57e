"""Bootstrap for Bazel 4.2.3 from Debian, offline: what this repository's own
WORKSPACE (and any workspace on such a machine) declares before
rules_rustc_wasm_dependencies().

    load("@rules_rustc_wasm//offline_bootstrap:deps.bzl", "debian_bazel4_dependencies")
    debian_bazel4_dependencies()

Bazel 4's @bazel_tools asks for @rules_cc, @rules_java and
@remote_coverage_tools, which it would otherwise download; skylib and
platforms come from Debian's bazel-skylib and bazel-platforms packages. None
of this is needed where Bazel can download its own dependencies.
"""

load("//offline_bootstrap:repos.bzl", "coverage_tools_stub", "rules_cc_shim")
load("//toolchain:go_modules.bzl", "maybe")

def debian_bazel4_dependencies(debian_bazel_dir = "/usr/share/bazel"):
    """Declares @rules_cc, @remote_coverage_tools, and Debian's skylib, platforms and rules_java.

    Args:
      debian_bazel_dir: where Debian's bazel-skylib, bazel-platforms and
        bazel-rules-java packages put their rule sets.
    """
    maybe(rules_cc_shim, "rules_cc")
    maybe(coverage_tools_stub, "remote_coverage_tools")
    maybe(native.local_repository, "rules_java", path = debian_bazel_dir + "/rules/java")
    maybe(native.local_repository, "bazel_skylib", path = debian_bazel_dir + "/tools/skylib")
    maybe(native.local_repository, "platforms", path = debian_bazel_dir + "/tools/platforms")
