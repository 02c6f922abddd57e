"""WORKSPACE macro of rules_rustc_wasm, stage 2: the
runner's Go dependencies and a Go SDK. Load it after
rules_rustc_wasm_dependencies() from //rules:repositories.bzl has declared
rules_go and gazelle, which this file loads from.

    load("@rules_rustc_wasm//rules:go_dependencies.bzl", "rules_rustc_wasm_go_dependencies")
    rules_rustc_wasm_go_dependencies()
"""

load("@bazel_gazelle//:deps.bzl", "gazelle_dependencies", "go_repository")
load("@bazel_tools//tools/build_defs/repo:utils.bzl", "maybe")
load("@io_bazel_rules_go//go:deps.bzl", "go_register_toolchains", "go_rules_dependencies")
load("//rules/private:versions.bzl", "GO_MODULES", "GO_VERSION")

_BUILDTOOLS_BUILD_PACKAGE = """cat > build/BUILD.bazel <<'EOF'
load("@io_bazel_rules_go//go:def.bzl", "go_library")

go_library(
    name = "build",
    srcs = glob(["*.go"], exclude = ["*_test.go"]),
    importpath = "github.com/bazelbuild/buildtools/build",
    visibility = ["//visibility:public"],
    deps = ["//labels", "//tables"],
)
EOF"""

def rules_rustc_wasm_go_dependencies(go_version = GO_VERSION):
    """Declares wazero, x/sys, protobuf and buildtools (as in go.mod), rules_go's deps and a Go SDK.

    Args:
      go_version: the Go SDK to download when the workspace has declared no
        @go_sdk (1.25 or newer: wazero needs it).
    """

    # Before go_rules_dependencies(), which would otherwise download x/sys.
    maybe(
        go_repository,
        "com_github_tetratelabs_wazero",
        # Declared in a macro, x/sys is unknown to gazelle's index of the
        # workspace: say where its packages are.
        build_directives = [
            "gazelle:resolve go golang.org/x/sys/cpu @org_golang_x_sys//cpu",
            "gazelle:resolve go golang.org/x/sys/unix @org_golang_x_sys//unix",
            "gazelle:resolve go golang.org/x/sys/windows @org_golang_x_sys//windows",
        ],
        **GO_MODULES["com_github_tetratelabs_wazero"]
    )
    maybe(
        go_repository,
        "org_golang_x_sys",
        **GO_MODULES["org_golang_x_sys"]
    )
    maybe(
        go_repository,
        "org_golang_google_protobuf",
        **GO_MODULES["org_golang_google_protobuf"]
    )
    maybe(
        go_repository,
        "org_golang_x_tools",
        **GO_MODULES["org_golang_x_tools"]
    )
    maybe(
        go_repository,
        "com_github_bazelbuild_buildtools",
        # Its .proto files are not needed by the build package.
        build_file_proto_mode = "disable",
        # build/BUILD.bazel regenerates the parser with goyacc through
        # rules_shell; use the parser checked in beside it instead.
        patch_cmds = [_BUILDTOOLS_BUILD_PACKAGE],
        **GO_MODULES["com_github_bazelbuild_buildtools"]
    )
    go_rules_dependencies()
    if "go_sdk" not in native.existing_rules():
        go_register_toolchains(version = go_version)
    gazelle_dependencies(go_sdk = "go_sdk")
