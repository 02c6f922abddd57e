"""Repositories from the Go module proxy: rules_go and gazelle come as Go
modules (go_module_archive), so a machine that reaches only the Go proxy can
build the runner. Also maybe(), shared by the WORKSPACE macros."""

def maybe(rule, name, **kwargs):
    """Declares a repository unless the workspace already has one of that name.

    Args:
      rule: the repository rule.
      name: the repository name.
      **kwargs: the rule's attributes.
    """
    if name not in native.existing_rules():
        rule(name = name, **kwargs)

def host_go(rctx):
    """The host's go command: $BAZEL_HOST_GO, go on PATH, or /usr/local/go/bin/go.

    Args:
      rctx: the repository context.

    Returns:
      The go command's path.
    """
    for cand in [rctx.os.environ.get("BAZEL_HOST_GO", ""), "go"]:
        if cand:
            p = rctx.which(cand) if "/" not in cand else rctx.path(cand)
            if p and p.exists:
                return p
    p = rctx.path("/usr/local/go/bin/go")
    if p.exists:
        return p
    fail("no go command: put go on PATH or set BAZEL_HOST_GO")

def run_or_fail(rctx, args, what, **kwargs):
    """Runs a command in a repository rule; fails naming `what` with its output.

    Args:
      rctx: the repository context.
      args: the command.
      what: what is being done, for the message.
      **kwargs: passed to rctx.execute.

    Returns:
      The exec result.
    """
    res = rctx.execute(args, quiet = True, **kwargs)
    if res.return_code != 0:
        fail("%s failed (%s):\n%s%s" % (what, " ".join([str(a) for a in args]), res.stdout, res.stderr))
    return res

def go_mod_download(rctx, module, version, sum):
    """go mod download MODULE@VERSION into the module cache, checking sum.

    Args:
      rctx: the repository context.
      module: the module path.
      version: its version.
      sum: the expected go.sum hash (h1:...), or "".

    Returns:
      The module's directory in the module cache.
    """
    res = run_or_fail(
        rctx,
        [host_go(rctx), "mod", "download", "-json", "%s@%s" % (module, version)],
        "go mod download %s@%s" % (module, version),
        environment = {"GOFLAGS": "-mod=mod", "GO111MODULE": "on"},
    )
    info = json.decode(res.stdout)
    if info.get("Error"):
        fail("go mod download %s@%s: %s" % (module, version, info["Error"]))
    if sum and info["Sum"] != sum:
        fail("%s@%s: sum %s, expected %s" % (module, version, info["Sum"], sum))
    return info["Dir"]

def copy_tree(rctx, src, dst = "."):
    """Copies a directory's contents, writable, into the repository.

    Args:
      rctx: the repository context.
      src: the directory.
      dst: where, in the repository.
    """
    run_or_fail(rctx, ["cp", "-R", "--no-preserve=mode", src + "/.", dst], "copying " + src)
    run_or_fail(rctx, ["chmod", "-R", "u+w", dst], "chmod " + dst)

def _go_module_archive_impl(rctx):
    src = go_mod_download(rctx, rctx.attr.module, rctx.attr.version, rctx.attr.sum)
    copy_tree(rctx, src)
    if rctx.attr.go_mod_vendor:
        # Module zips drop vendor/; gazelle's tools build from it.
        run_or_fail(rctx, [host_go(rctx), "mod", "vendor"], "go mod vendor in " + rctx.attr.module)
    for patch in rctx.attr.patches:
        # GNU patch: Bazel 4's own patcher misreads multi-file diffs.
        run_or_fail(rctx, ["patch", "-p1", "--no-backup-if-mismatch", "-i", str(rctx.path(patch))], "applying %s" % patch)

go_module_archive = repository_rule(
    implementation = _go_module_archive_impl,
    doc = "Like http_archive, but the archive is a Go module from the Go module proxy.",
    attrs = {
        "module": attr.string(mandatory = True, doc = "Module path."),
        "version": attr.string(mandatory = True, doc = "Module version."),
        "sum": attr.string(doc = "Expected go.sum hash (h1:...)."),
        "patches": attr.label_list(doc = "Patches applied with patch -p1."),
        "go_mod_vendor": attr.bool(doc = "Run go mod vendor after download."),
    },
    environ = ["BAZEL_HOST_GO", "GOPROXY", "GOMODCACHE"],
)
