"""A Go SDK from the Go module proxy, for a machine that cannot download one
from go.dev. Load after rules_rustc_wasm_dependencies() (it needs rules_go)
and call before rules_rustc_wasm_go_dependencies().

    load("@rules_rustc_wasm//offline_bootstrap:go_sdk.bzl", "go_sdk_from_module_proxy")
    go_sdk_from_module_proxy()
"""

load("@io_bazel_rules_go//go:deps.bzl", "go_wrap_sdk")
load("//offline_bootstrap:repos.bzl", "go_sdk_with_std")
load("//toolchain:go_modules.bzl", "maybe")

# The Go release the runner is built with (wazero needs 1.25 or newer).
GO_VERSION = "1.26.8"

# go.sum hashes of golang.org/toolchain@v0.0.1-go<GO_VERSION>.<platform>.
GO_SUMS = {
    "linux-amd64": "h1:ZOmGe1OnfREDMIdb1Qi4G9JSuDPBLGExZMQ4nis1RXM=",
}

def go_sdk_from_module_proxy(go_version = GO_VERSION, sums = GO_SUMS):
    """Declares and registers @go_sdk from the golang.org/toolchain module of the host's platform.

    Args:
      go_version: the Go release.
      sums: go.sum hashes by `<os>-<arch>`; a platform without one is
        checked by the go command against the checksum database only.
    """
    maybe(go_sdk_with_std, "go_sdk_std", go_version = go_version, sums = sums)
    if "go_sdk" not in native.existing_rules():
        go_wrap_sdk(name = "go_sdk", root_file = "@go_sdk_std//:goroot/ROOT")
