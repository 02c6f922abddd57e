"""rustc 1.96 on a machine of this project's kind: the distribution that
offline_bootstrap/rust_1_96.sh assembles from Debian 12's packages,
registered by file:// URL and SHA-256 (RUST_1_96, rules/private/versions.bzl)
as any Rust distribution archive is.

    load("@rules_rustc_wasm//offline_bootstrap:rust.bzl", "rust_1_96_toolchains")
    rust_1_96_toolchains()

    # or by hand, as any archive:
    load("@rules_rustc_wasm//offline_bootstrap:rust.bzl", "RUST_1_96")

declares @rust_1_96 (wasm proc macros) and @rust_1_96_dylib (host-dylib proc
macros, the reference they are compared against), or @<name> and
@<name>_dylib. Neither is registered:
select one with `--extra_toolchains=@rust_1_96//:toolchain`, or pass
`register = True`.
"""

load("//rules:repositories.bzl", "rustc_wasm_register_toolchains")

# The project's pins are private to it; this repository's own packages read them.
# buildifier: disable=bzl-visibility
load("//rules/private:versions.bzl", _RUST_1_96 = "RUST_1_96")

# The assembled archive: its name, directory, SHA-256 and prefix, for a
# workspace that registers it by URL itself (as e2e/WORKSPACE shows).
RUST_1_96 = _RUST_1_96

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
