"""WORKSPACE macros, stage 2: the runner's Go dependencies and the Go SDK.

Load after rules_rustc_wasm_dependencies() has declared rules_go and gazelle.
"""

load("@bazel_gazelle//:deps.bzl", "gazelle_dependencies", "go_repository")
load("@io_bazel_rules_go//go:deps.bzl", "go_rules_dependencies", "go_wrap_sdk")
load("//toolchain/private:offline_repos.bzl", "go_sdk_with_std", "maybe")

# The Go SDK the runner is built with: the golang.org/toolchain module.
GO_TOOLCHAIN_VERSION = "v0.0.1-go1.26.8.linux-amd64"
GO_TOOLCHAIN_SUM = "h1:ZOmGe1OnfREDMIdb1Qi4G9JSuDPBLGExZMQ4nis1RXM="

def rules_rustc_wasm_go_dependencies(register_go_sdk = True):
    """Declares wazero, x/sys and protobuf (from go.mod), rules_go's deps and a Go SDK.

    Args:
      register_go_sdk: declare and register @go_sdk from the
        golang.org/toolchain module. Pass False when the workspace registers
        its own Go SDK (1.25 or newer: wazero needs it).
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
    go_rules_dependencies()
    if register_go_sdk:
        maybe(
            go_sdk_with_std,
            "go_sdk_std",
            toolchain_module_version = GO_TOOLCHAIN_VERSION,
            toolchain_module_sum = GO_TOOLCHAIN_SUM,
        )
        if "go_sdk" not in native.existing_rules():
            go_wrap_sdk(name = "go_sdk", root_file = "@go_sdk_std//:goroot/ROOT")
    gazelle_dependencies(go_sdk = "go_sdk")
