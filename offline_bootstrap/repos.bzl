"""Repository rules for a machine that reaches only Debian's packages and the
Go module proxy: a Go SDK from the golang.org/toolchain module, and the two
repositories Bazel 4's own tools ask for (@rules_cc, @remote_coverage_tools)."""

load("//toolchain:go_modules.bzl", "copy_tree", "go_mod_download", "run_or_fail")

def _platform(rctx):
    """The host as Go names it: linux-amd64, darwin-arm64, ..."""
    os = rctx.os.name.lower()
    goos = "darwin" if os.startswith("mac") else ("windows" if os.startswith("windows") else "linux")
    arch = rctx.os.arch if hasattr(rctx.os, "arch") else "amd64"
    goarch = {"amd64": "amd64", "x86_64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(arch, arch)
    return "%s-%s" % (goos, goarch)

def _sdk_download(rctx):
    platform = _platform(rctx)
    version = "v0.0.1-go%s.%s" % (rctx.attr.go_version, platform)
    return go_mod_download(rctx, "golang.org/toolchain", version, rctx.attr.sums.get(platform, ""))

def _go_sdk_with_std_impl(rctx):
    sdk = _sdk_download(rctx)
    root = "goroot"
    for entry in ["src", "lib", "misc", "go.env", "VERSION", "test", "api"]:
        if rctx.path(sdk + "/" + entry).exists:
            rctx.symlink(sdk + "/" + entry, root + "/" + entry)

    # Module zips carry no exec bits: copy the tools and make them executable.
    run_or_fail(rctx, ["mkdir", "-p", root + "/pkg"], "mkdir")
    copy_tree(rctx, sdk + "/bin", root + "/bin")
    copy_tree(rctx, sdk + "/pkg/tool", root + "/pkg/tool")
    if rctx.path(sdk + "/pkg/include").exists:
        copy_tree(rctx, sdk + "/pkg/include", root + "/pkg/include")
    run_or_fail(rctx, ["chmod", "-R", "a+x", root + "/bin", root + "/pkg/tool"], "chmod")
    go = rctx.path(root + "/bin/go")
    env = {
        "GOROOT": str(rctx.path(root)),
        "GOTOOLCHAIN": "local",
        "GOFLAGS": "",
        "CGO_ENABLED": "1",
        # Go >= 1.20 ships no compiled std; rules_go 0.34 expects one.
        "GODEBUG": "installgoroot=all",
    }
    run_or_fail(rctx, [go, "install", "-trimpath", "std"], "go install std", environment = env)

    # Go >= 1.25 ships no pack tool; rules_go 0.34 calls it.
    run_or_fail(rctx, [go, "build", "-trimpath", "-o", str(rctx.path("%s/pkg/tool/%s/pack" % (root, _platform(rctx).replace("-", "_")))), "cmd/pack"], "building cmd/pack", environment = env)
    rctx.file(root + "/ROOT", "")
    rctx.file("BUILD.bazel", 'exports_files(["goroot/ROOT"])\n')

go_sdk_with_std = repository_rule(
    implementation = _go_sdk_with_std_impl,
    doc = "A Go SDK from the golang.org/toolchain module, laid out as rules_go 0.34 expects (compiled std, pack).",
    attrs = {
        "go_version": attr.string(mandatory = True, doc = "The Go release, such as 1.26.8; the module is golang.org/toolchain@v0.0.1-go<go_version>.<os>-<arch> for the host."),
        "sums": attr.string_dict(doc = "Expected go.sum hash of the toolchain module per `<os>-<arch>` (the go command also checks the checksum database)."),
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
