"""rustc 1.96 on a machine of this project's kind: the distribution that
offline_bootstrap/rust_1_96.sh assembles from Debian 12's packages,
registered by file:// URL and SHA-256 (toolchain/versions.bzl's RUST_1_96)
as any Rust distribution archive is.

    load("@rules_rustc_wasm//offline_bootstrap:rust.bzl", "rust_1_96_toolchains")
    rust_1_96_toolchains()

declares @rust_1_96 (wasm proc macros) and @rust_1_96_dylib (host-dylib proc
macros, the reference they are compared against), or @<name> and
@<name>_dylib. Neither is registered:
select one with `--extra_toolchains=@rust_1_96//:toolchain`, or pass
`register = True`.
"""

load("//toolchain:repositories.bzl", "rustc_wasm_register_toolchains")
load("//toolchain:versions.bzl", "RUST_1_96")

def rust_1_96_toolchains(name = "rust_1_96", dir = RUST_1_96["dir"], register = False):
    """Declares @<name> and @<name>_dylib from the assembled archive.

    Args:
      name: the repository of the toolchain with wasm proc macros.
      dir: where offline_bootstrap/rust_1_96.sh wrote the archive.
      register: whether to register @<name> (wasm proc macros).
    """
    for repo, kind in [(name, "wasm"), (name + "_dylib", "dylib")]:
        rustc_wasm_register_toolchains(
            name = repo,
            urls = ["file://%s/%s" % (dir, RUST_1_96["archive"])],
            sha256 = RUST_1_96["sha256"],
            strip_prefix = RUST_1_96["strip_prefix"],
            proc_macro_kind = kind,
            register = register and kind == "wasm",
        )
