"""crate_repository: one repository per third-party crate, declared by the
crates.bzl that @rules_rustc_wasm//crates:generate generates.

Written for Bazel 4.2.3 and newer (no nested functions, no f-strings).
"""

# Files of a crate's own directory that would clash with the generated ones.
_SKIPPED = ["BUILD", "BUILD.bazel", "WORKSPACE", "WORKSPACE.bazel", "MODULE.bazel", "REPO.bazel"]

def _workspace_root(rctx):
    if hasattr(rctx, "workspace_root"):
        return str(rctx.workspace_root)

    # Older Bazel: walk up from a file of the main repository whose package
    # is known (the generated BUILD.bazel next to crates.bzl).
    anchor = rctx.attr.path_anchor
    if not anchor:
        fail("crate_repository %s: a relative path needs path_anchor on this Bazel" % rctx.name)
    root = rctx.path(anchor).dirname
    if anchor.package:
        for _ in anchor.package.split("/"):
            root = root.dirname
    return str(root)

def _crate_repository_impl(rctx):
    attr = rctx.attr
    if bool(attr.path) == bool(attr.urls):
        fail("crate_repository %s: set exactly one of path and urls" % rctx.name)
    if attr.path:
        path = attr.path
        if not path.startswith("/"):
            path = _workspace_root(rctx) + "/" + path
        src = rctx.path(path)
        if not src.exists:
            fail("crate_repository %s: %s does not exist; rerun @rules_rustc_wasm//crates:generate or install the crate's source" % (rctx.name, path))
        for entry in src.readdir():
            if entry.basename in _SKIPPED:
                continue
            rctx.symlink(entry, entry.basename)
    else:
        if not attr.sha256:
            fail("crate_repository %s: urls needs sha256" % rctx.name)
        rctx.download_and_extract(
            url = attr.urls,
            sha256 = attr.sha256,
            type = "tar.gz",
            stripPrefix = attr.strip_prefix,
        )
    rctx.file("BUILD.bazel", attr.build_file_content)
    rctx.file("WORKSPACE", "")

crate_repository = repository_rule(
    implementation = _crate_repository_impl,
    attrs = {
        "path": attr.string(doc = "Directory of the crate's unpacked source; relative paths are relative to the workspace root."),
        "urls": attr.string_list(doc = "URLs of the crate's .crate archive (a gzipped tar)."),
        "sha256": attr.string(doc = "SHA-256 of the archive (Cargo.lock's checksum)."),
        "strip_prefix": attr.string(doc = "Directory inside the archive: <name>-<version>."),
        "build_file_content": attr.string(mandatory = True, doc = "The repository's BUILD.bazel."),
        "path_anchor": attr.label(
            allow_single_file = True,
            doc = "A file of the main repository; locates the workspace root for a relative path on Bazel without repository_ctx.workspace_root.",
        ),
    },
    doc = "A third-party crate, from a local directory (path) or an archive (urls + sha256).",
)
