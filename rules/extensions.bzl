"""bzlmod module extension of rules_rustc_wasm, for Bazel 7 and newer (its
code: //toolchain:extensions.bzl).

In MODULE.bazel:

    bazel_dep(name = "rules_rustc_wasm", version = "0.1.0")

    rustc_wasm = use_extension("@rules_rustc_wasm//rules:extensions.bzl", "rustc_wasm")
    rustc_wasm.toolchain(
        name = "rustc_wasm",
        dist_path = "/opt/rustc-wasm/dist",  # bin/rustc.wasm or bin/rustc; or urls = [...], sha256 = "..."
    )
    use_repo(rustc_wasm, "rustc_wasm")

    register_toolchains("@rustc_wasm//:toolchain")
"""

load("//toolchain:extensions.bzl", _rustc_wasm = "rustc_wasm")

rustc_wasm = _rustc_wasm
