"""WORKSPACE macro, stage 2: the Go dependencies of the runner and of the
crates generator, rules_go's own, and a Go SDK unless the workspace has one.

Load after rules_rustc_wasm_dependencies() has declared rules_go and gazelle.
"""

load("@bazel_gazelle//:deps.bzl", "gazelle_dependencies", "go_repository")
load("@io_bazel_rules_go//go:deps.bzl", "go_register_toolchains", "go_rules_dependencies")
load("//toolchain:go_modules.bzl", "maybe")

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

def rules_rustc_wasm_go_dependencies(go_version = "1.26.8"):
    """Declares wazero, x/sys, protobuf and buildtools (as in go.mod), rules_go's deps and a Go SDK.

    Args:
      go_version: the Go SDK to download when the workspace has declared no
        @go_sdk (1.25 or newer: wazero needs it).
    """

    # Before go_rules_dependencies(), which would otherwise download x/sys.
    maybe(
        go_repository,
        "com_github_tetratelabs_wazero",
        importpath = "github.com/tetratelabs/wazero",
        # Declared in a macro, x/sys is unknown to gazelle's index of the
        # workspace: say where its packages are.
        build_directives = [
            "gazelle:resolve go golang.org/x/sys/cpu @org_golang_x_sys//cpu",
            "gazelle:resolve go golang.org/x/sys/unix @org_golang_x_sys//unix",
            "gazelle:resolve go golang.org/x/sys/windows @org_golang_x_sys//windows",
        ],
        sum = "h1:DuWcpNu/FzgEXgGBDp8J1Spc+CWOvvtvVyjKlaZopYU=",
        version = "v1.12.0",
    )
    maybe(
        go_repository,
        "org_golang_x_sys",
        importpath = "golang.org/x/sys",
        sum = "h1:ildZl3J4uzeKP07r2F++Op7E9B29JRUy+a27EibtBTQ=",
        version = "v0.44.0",
    )
    maybe(
        go_repository,
        "org_golang_google_protobuf",
        importpath = "google.golang.org/protobuf",
        sum = "h1:pJOKDDOyeXErUroCihFAd5LQuwXBSpVnKGrj5o/fwxc=",
        version = "v1.36.12",
    )
    maybe(
        go_repository,
        "org_golang_x_tools",
        importpath = "golang.org/x/tools",
        sum = "h1:loJ25fNOEhSXfHrpoGj91eCUThwdNX6u24rO1xnNteY=",
        version = "v0.1.11",
    )
    maybe(
        go_repository,
        "com_github_bazelbuild_buildtools",
        importpath = "github.com/bazelbuild/buildtools",
        # Its .proto files are not needed by the build package.
        build_file_proto_mode = "disable",
        # build/BUILD.bazel regenerates the parser with goyacc through
        # rules_shell; use the parser checked in beside it instead.
        patch_cmds = [_BUILDTOOLS_BUILD_PACKAGE],
        sum = "h1:scNMqf+FgmWYYwsX4TNjQcDLZu5kbWSwNsbrGkiF23I=",
        version = "v0.0.0-20260904073137-eaa4d125b423",
    )
    go_rules_dependencies()
    if "go_sdk" not in native.existing_rules():
        go_register_toolchains(version = go_version)
    gazelle_dependencies(go_sdk = "go_sdk")
