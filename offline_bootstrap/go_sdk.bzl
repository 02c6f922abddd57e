"""The Go SDK of the offline bootstrap (debian_bazel4_dependencies declares
@go_sdk_std), registered with rules_go. Load after
rules_rustc_wasm_dependencies() (it needs rules_go) and call before
rules_rustc_wasm_go_dependencies().

    load("@rules_rustc_wasm//offline_bootstrap:go_sdk.bzl", "go_sdk_from_module_proxy")
    go_sdk_from_module_proxy()
"""

load("@io_bazel_rules_go//go:deps.bzl", "go_wrap_sdk")

def go_sdk_from_module_proxy():
    """Declares and registers @go_sdk, the SDK of @go_sdk_std."""
    if "go_sdk" not in native.existing_rules():
        go_wrap_sdk(name = "go_sdk", root_file = "@go_sdk_std//:goroot/ROOT")
