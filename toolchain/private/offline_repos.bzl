"""Repository rules that need no download but the Go module proxy.

These let rules_rustc_wasm build its Go runner with rules_go on a machine that
reaches only the Go module proxy and a distribution's packages: rules_go and
gazelle come as Go modules, the Go SDK as the golang.org/toolchain module.
"""

def maybe(rule, name, **kwargs):
    """Declares a repository unless the workspace already has one of that name.

    Args:
      rule: the repository rule.
      name: the repository name.
      **kwargs: the rule's attributes.
    """
    if name not in native.existing_rules():
        rule(name = name, **kwargs)

def _go(rctx):
    """Returns the path of the host's go command."""
    for cand in [rctx.os.environ.get("BAZEL_HOST_GO", ""), "go"]:
        if cand:
            p = rctx.which(cand) if "/" not in cand else rctx.path(cand)
            if p and p.exists:
                return p
    p = rctx.path("/usr/local/go/bin/go")
    if p.exists:
        return p
    fail("no go command: put go on PATH or set BAZEL_HOST_GO")

def _exec(rctx, args, what, **kwargs):
    res = rctx.execute(args, quiet = True, **kwargs)
    if res.return_code != 0:
        fail("%s failed (%s):\n%s%s" % (what, " ".join([str(a) for a in args]), res.stdout, res.stderr))
    return res

def _download(rctx, module, version, sum):
    """go mod download MODULE@VERSION; checks sum; returns the module's directory."""
    res = _exec(
        rctx,
        [_go(rctx), "mod", "download", "-json", "%s@%s" % (module, version)],
        "go mod download %s@%s" % (module, version),
        environment = {"GOFLAGS": "-mod=mod", "GO111MODULE": "on"},
    )
    info = json.decode(res.stdout)
    if info.get("Error"):
        fail("go mod download %s@%s: %s" % (module, version, info["Error"]))
    if sum and info["Sum"] != sum:
        fail("%s@%s: sum %s, expected %s" % (module, version, info["Sum"], sum))
    return info["Dir"]

def _copy_tree(rctx, src, dst = "."):
    _exec(rctx, ["cp", "-R", "--no-preserve=mode", src + "/.", dst], "copying " + src)
    _exec(rctx, ["chmod", "-R", "u+w", dst], "chmod " + dst)

def _go_module_archive_impl(rctx):
    src = _download(rctx, rctx.attr.module, rctx.attr.version, rctx.attr.sum)
    _copy_tree(rctx, src)
    if rctx.attr.go_mod_vendor:
        # Module zips drop vendor/; gazelle's tools build from it.
        _exec(rctx, [_go(rctx), "mod", "vendor"], "go mod vendor in " + rctx.attr.module)
    for patch in rctx.attr.patches:
        # GNU patch: Bazel 4's own patcher misreads multi-file diffs.
        _exec(rctx, ["patch", "-p1", "--no-backup-if-mismatch", "-i", str(rctx.path(patch))], "applying %s" % patch)

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

def _go_sdk_with_std_impl(rctx):
    sdk = _download(rctx, "golang.org/toolchain", rctx.attr.toolchain_module_version, rctx.attr.toolchain_module_sum)
    root = "goroot"
    for entry in ["src", "lib", "misc", "go.env", "VERSION", "test", "api"]:
        if rctx.path(sdk + "/" + entry).exists:
            rctx.symlink(sdk + "/" + entry, root + "/" + entry)

    # Module zips carry no exec bits: copy the tools and make them executable.
    _exec(rctx, ["mkdir", "-p", root + "/pkg"], "mkdir")
    _copy_tree(rctx, sdk + "/bin", root + "/bin")
    _copy_tree(rctx, sdk + "/pkg/tool", root + "/pkg/tool")
    if rctx.path(sdk + "/pkg/include").exists:
        _copy_tree(rctx, sdk + "/pkg/include", root + "/pkg/include")
    _exec(rctx, ["chmod", "-R", "a+x", root + "/bin", root + "/pkg/tool"], "chmod")
    go = rctx.path(root + "/bin/go")
    env = {
        "GOROOT": str(rctx.path(root)),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "",
        "CGO_ENABLED": "1",
        # Go >= 1.20 ships no compiled std; rules_go 0.34 expects one.
        "GODEBUG": "installgoroot=all",
    }
    _exec(rctx, [go, "install", "-trimpath", "std"], "go install std", environment = env)

    # Go >= 1.25 ships no pack tool; rules_go 0.34 calls it.
    _exec(rctx, [go, "build", "-trimpath", "-o", str(rctx.path(root + "/pkg/tool/linux_amd64/pack")), "cmd/pack"], "building cmd/pack", environment = env)
    rctx.file(root + "/ROOT", "")
    rctx.file("BUILD.bazel", 'exports_files(["goroot/ROOT"])\n')

go_sdk_with_std = repository_rule(
    implementation = _go_sdk_with_std_impl,
    doc = "A Go SDK from the golang.org/toolchain module, laid out as rules_go 0.34 expects (compiled std, pack).",
    attrs = {
        "toolchain_module_version": attr.string(mandatory = True, doc = "Such as v0.0.1-go1.26.8.linux-amd64."),
        "toolchain_module_sum": attr.string(doc = "Expected go.sum hash of the toolchain module."),
    },
    environ = ["BAZEL_HOST_GO", "GOPROXY", "GOMODCACHE"],
)

_CC_RULES = [
    "cc_binary",
    "cc_import",
    "cc_library",
    "cc_proto_library",
    "cc_test",
    "cc_toolchain",
    "cc_toolchain_suite",
    "fdo_prefetch_hints",
    "fdo_profile",
    "objc_import",
    "objc_library",
]

def _rules_cc_shim_impl(rctx):
    defs = ['"""Forwards to the native C++ rules (a shim for Bazel 4 without network)."""\n']
    for r in _CC_RULES:
        defs.append("def %s(**kwargs):\n    native.%s(**kwargs)\n" % (r, r))
    rctx.file("cc/defs.bzl", "\n".join(defs))
    rctx.file("cc/BUILD.bazel", "")
    rctx.file("BUILD.bazel", "")

rules_cc_shim = repository_rule(
    implementation = _rules_cc_shim_impl,
    doc = "@rules_cc with defs.bzl forwarding to native rules: @bazel_tools loads it, and neither the default (a download) nor Debian's 0.0.4 (needs a newer Bazel) loads here.",
)

def _coverage_tools_stub_impl(rctx):
    rctx.file("fail.sh", "#!/bin/sh\necho 'coverage is not supported in this workspace' >&2\nexit 1\n", executable = True)
    rctx.file("BUILD.bazel", """
sh_binary(name = "coverage_report_generator", srcs = ["fail.sh"], visibility = ["//visibility:public"])
sh_binary(name = "lcov_merger", srcs = ["fail.sh"], visibility = ["//visibility:public"])
""")

coverage_tools_stub = repository_rule(
    implementation = _coverage_tools_stub_impl,
    doc = "@remote_coverage_tools, which every test rule depends on; bazel coverage is not supported.",
)
