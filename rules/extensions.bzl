"""bzlmod module extension of rules_rustc_wasm, for Bazel 7 and newer.

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

load("//rules/private:toolchain_repos.bzl", "rustc_toolchain_repository")

_toolchain = tag_class(
    doc = "Declares a rustc toolchain repository; give exactly one of dist_path, urls, native_rustc.",
    attrs = {
        "name": attr.string(default = "rustc_wasm", doc = "The repository name; use_repo it and register @<name>//:toolchain."),
        "dist_path": attr.string(doc = "A local Rust distribution: bin/rustc.wasm (a rustc.wasm) or bin/rustc (a native rustc laid out as rustup's toolchains), and lib/rustlib/<triple>/lib."),
        "urls": attr.string_list(doc = "Where to download a Rust distribution archive (either kind)."),
        "sha256": attr.string(doc = "The archive's SHA-256; required with urls."),
        "strip_prefix": attr.string(doc = "A directory prefix to strip from the archive."),
        "native_rustc": attr.string(doc = "An installed native rustc instead (the native flavour)."),
        "proc_macro_kind": attr.string(doc = "With a native rustc (native_rustc, or a distribution holding bin/rustc): `wasm` (default: proc macros become lib<name>.wasm, expanded by the runner in wazero) or `dylib` (host dylibs)."),
        "target": attr.string(doc = "Target triple; by default wasm32-wasip1, or wasm32-wasi for a native rustc older than 1.78."),
        "exec_triple": attr.string(doc = "The target a rustc.wasm loads proc macros for (default wasm32-wasip1-threads)."),
    },
)

def _rustc_wasm_impl(mctx):
    declared = {}

    # The root module comes first, so its declaration of a name wins.
    for mod in mctx.modules:
        for tc in mod.tags.toolchain:
            if tc.name in declared:
                continue
            declared[tc.name] = True
            rustc_toolchain_repository(
                where = "rustc_wasm.toolchain(name = %r) in %s" % (tc.name, mod.name),
                name = tc.name,
                dist_path = tc.dist_path,
                urls = tc.urls,
                sha256 = tc.sha256,
                strip_prefix = tc.strip_prefix,
                native_rustc = tc.native_rustc,
                target = tc.target,
                exec_triple = tc.exec_triple,
                proc_macro_kind = tc.proc_macro_kind,
            )

rustc_wasm = module_extension(
    implementation = _rustc_wasm_impl,
    doc = "Declares rustc toolchains: a Rust distribution (rustc.wasm or a native rustc) or an installed native rustc.",
    tag_classes = {"toolchain": _toolchain},
)
