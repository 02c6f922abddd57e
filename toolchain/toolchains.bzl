"""WORKSPACE macros, stage 3: rustc toolchains.

    load("@rules_rustc_wasm//toolchain:toolchains.bzl", "rustc_wasm_register_toolchains")

    # A rustc.wasm distribution (bin/rustc.wasm, lib/rustlib/<target>/lib/*.rlib):
    rustc_wasm_register_toolchains(name = "rustc_wasm", dist_path = "/opt/rustc-wasm/dist")
    # or downloaded:
    rustc_wasm_register_toolchains(name = "rustc_wasm", urls = ["https://.../dist.tar.gz"], sha256 = "...")
    # or the native flavour, a rustc installed on the machine:
    rustc_wasm_register_toolchains(name = "rustc_native", native_rustc = "/usr/bin/rustc", target = "wasm32-wasi")
"""

load("//toolchain/private:toolchain_repos.bzl", "rustc_native_repository", "rustc_wasm_dist_repository")

def rustc_wasm_register_toolchains(
        name = "rustc_wasm",
        dist_path = None,
        urls = None,
        sha256 = None,
        strip_prefix = "",
        native_rustc = None,
        target = None,
        register = True):
    """Declares a rustc toolchain repository @<name> and registers @<name>//:toolchain.

    Give exactly one of dist_path, urls or native_rustc.

    Args:
      name: the repository name.
      dist_path: a local rustc.wasm distribution directory.
      urls: where to download a rustc.wasm distribution archive.
      sha256: the archive's SHA-256, required with urls.
      strip_prefix: a directory prefix to strip from the archive.
      native_rustc: path of a native rustc (the native flavour: proc macros
        become host dylibs).
      target: the target triple; wasm32-wasip1 for a distribution, wasm32-wasi
        for a native rustc by default.
      register: whether to call register_toolchains.
    """
    given = [x for x in [dist_path, urls, native_rustc] if x]
    if len(given) != 1:
        fail("rustc_wasm_register_toolchains(name = %r): give exactly one of dist_path, urls, native_rustc" % name)
    if native_rustc:
        rustc_native_repository(name = name, rustc = native_rustc, target = target or "wasm32-wasi")
    else:
        if urls and not sha256:
            fail("rustc_wasm_register_toolchains(name = %r): urls needs sha256" % name)
        rustc_wasm_dist_repository(
            name = name,
            path = dist_path or "",
            urls = urls or [],
            sha256 = sha256 or "",
            strip_prefix = strip_prefix,
            target = target or "wasm32-wasip1",
        )
    if register:
        native.register_toolchains("@%s//:toolchain" % name)
