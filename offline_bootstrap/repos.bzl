"""Repository rules for a machine that reaches only Debian's packages and the
Go module proxy, with no go command of its own: a Go SDK from the
golang.org/toolchain module, gazelle with its dependencies vendored by that
SDK, and the two repositories Bazel 4's own tools ask for (@rules_cc,
@remote_coverage_tools)."""

# The project's pins are private to it; this repository's own packages read them.
# buildifier: disable=bzl-visibility
load("//rules/private:versions.bzl", "proxy_zip")

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

def _platform(rctx):
    """The host as Go names it: linux-amd64, darwin-arm64, ..."""
    os = rctx.os.name.lower()
    goos = "darwin" if os.startswith("mac") else ("windows" if os.startswith("windows") else "linux")
    arch = rctx.os.arch if hasattr(rctx.os, "arch") else "amd64"
    goarch = {"aarch64": "arm64", "amd64": "amd64", "arm64": "arm64", "x86_64": "amd64"}.get(arch, arch)
    return "%s-%s" % (goos, goarch)

def _go_sdk_with_std_impl(rctx):
    platform = _platform(rctx)
    if platform not in rctx.attr.sha256s:
        fail("go_sdk_with_std: no SHA-256 for the Go %s SDK of %s; add it to GO_SDK_SHA256 in rules/private/versions.bzl" % (rctx.attr.go_version, platform))
    zip = proxy_zip("golang.org/toolchain", "v0.0.1-go%s.%s" % (rctx.attr.go_version, platform))
    root = "goroot"
    rctx.download_and_extract(zip.url, output = root, sha256 = rctx.attr.sha256s[platform], stripPrefix = zip.strip_prefix, type = "zip")

    # Module zips carry no exec bits.
    run_or_fail(rctx, ["chmod", "-R", "a+x", root + "/bin", root + "/pkg/tool"], "chmod")
    go = rctx.path(root + "/bin/go")
    env = {
        "GOROOT": str(rctx.path(root)),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "",
        "CGO_ENABLED": "1",
        "GOCACHE": str(rctx.path("gocache")),
        # Go >= 1.20 ships no compiled std; rules_go 0.34 expects one.
        "GODEBUG": "installgoroot=all",
    }
    run_or_fail(rctx, [go, "install", "-trimpath", "std"], "go install std", environment = env)

    # Go >= 1.25 ships no pack tool; rules_go 0.34 calls it.
    run_or_fail(rctx, [go, "build", "-trimpath", "-o", str(rctx.path("%s/pkg/tool/%s/pack" % (root, platform.replace("-", "_")))), "cmd/pack"], "building cmd/pack", environment = env)
    rctx.delete("gocache")
    rctx.file(root + "/ROOT", "")
    rctx.file("BUILD.bazel", 'exports_files(["goroot/ROOT", "goroot/bin/go"])\n')

go_sdk_with_std = repository_rule(
    implementation = _go_sdk_with_std_impl,
    doc = "A Go SDK from the golang.org/toolchain module zip of the Go module proxy, laid out as rules_go 0.34 expects (compiled std, pack).",
    attrs = {
        "go_version": attr.string(mandatory = True, doc = "The Go release, such as 1.26.8; the module is golang.org/toolchain@v0.0.1-go<go_version>.<os>-<arch> for the host."),
        "sha256s": attr.string_dict(mandatory = True, doc = "SHA-256 of the module zip per `<os>-<arch>`."),
    },
)

def _go_module_vendored_impl(rctx):
    zip = proxy_zip(rctx.attr.module, rctx.attr.version)
    rctx.download_and_extract(zip.url, sha256 = rctx.attr.sha256, stripPrefix = zip.strip_prefix, type = "zip")

    # Module zips drop vendor/; gazelle's tools build from it. The SDK's
    # go fetches the dependencies from the Go module proxy.
    go = rctx.path(rctx.attr.go)
    env = {
        "GOROOT": str(go.dirname.dirname),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "-mod=mod",
        "GO111MODULE": "on",
    }
    run_or_fail(rctx, [go, "mod", "vendor"], "go mod vendor in " + rctx.attr.module, environment = env)

go_module_vendored = repository_rule(
    implementation = _go_module_vendored_impl,
    doc = "A Go module's zip from the Go module proxy, with its dependencies vendored by the go of `go`.",
    attrs = {
        "module": attr.string(mandatory = True, doc = "Module path."),
        "version": attr.string(mandatory = True, doc = "Module version."),
        "sha256": attr.string(mandatory = True, doc = "SHA-256 of the module zip."),
        "go": attr.label(default = "@go_sdk_std//:goroot/bin/go", doc = "The go command that vendors."),
    },
    environ = ["GOPROXY", "GOMODCACHE", "GOPATH", "HOME"],
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
