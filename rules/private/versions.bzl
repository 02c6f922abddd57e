"""The versions of what rules_rustc_wasm depends on, each written once.

MODULE.bazel, go.mod, go.sum and the CI scripts cannot load this file and
spell some of them again; testing/versions checks that they agree.
"""

# The Go release the runner is built with (wazero needs 1.25 or newer;
# go.mod's go line is the oldest that builds it).
GO_VERSION = "1.26.8"

# rules_go and gazelle for WORKSPACE users (Bazel 6 and newer), as the Go
# module proxy serves them: a zip by URL and SHA-256, no go command needed.
RULES_GO = {
    "module": "github.com/bazelbuild/rules_go",
    "sha256": "0f584522abfe76035a75f07bb5112a67f6130e06a237737f059e53b817f4874d",
    "version": "v0.50.1",
}
GAZELLE = {
    "module": "github.com/bazelbuild/bazel-gazelle",
    "sha256": "54cc4260cfb0f87807d5bfe98cb537053ea945f1bd327185e3eaa71e809057d9",
    "version": "v0.39.1",
}

# The Go modules of the runner and the crates generator (go.mod), and
# golang.org/x/tools for rules_go's own tools, by repository name.
GO_MODULES = {
    "com_github_bazelbuild_buildtools": {
        "importpath": "github.com/bazelbuild/buildtools",
        "sum": "h1:scNMqf+FgmWYYwsX4TNjQcDLZu5kbWSwNsbrGkiF23I=",
        "version": "v0.0.0-20260904073137-eaa4d125b423",
    },
    "com_github_tetratelabs_wazero": {
        "importpath": "github.com/tetratelabs/wazero",
        "sum": "h1:DuWcpNu/FzgEXgGBDp8J1Spc+CWOvvtvVyjKlaZopYU=",
        "version": "v1.12.0",
    },
    "org_golang_google_protobuf": {
        "importpath": "google.golang.org/protobuf",
        "sum": "h1:pJOKDDOyeXErUroCihFAd5LQuwXBSpVnKGrj5o/fwxc=",
        "version": "v1.36.12",
    },
    "org_golang_x_sys": {
        "importpath": "golang.org/x/sys",
        "sum": "h1:ildZl3J4uzeKP07r2F++Op7E9B29JRUy+a27EibtBTQ=",
        "version": "v0.44.0",
    },
    "org_golang_x_tools": {
        "importpath": "golang.org/x/tools",
        "sum": "h1:loJ25fNOEhSXfHrpoGj91eCUThwdNX6u24rO1xnNteY=",
        "version": "v0.1.11",
    },
}

# The offline bootstrap's (//offline_bootstrap, Bazel 4.2.3): the newest
# rules_go and gazelle that Bazel 4 loads, and the Go SDK, all as zips from
# the Go module proxy.
BOOTSTRAP_GO_MODULES = {
    "bazel_gazelle": {
        "module": "github.com/bazelbuild/bazel-gazelle",
        "sha256": "7b03ade8beb8a05ee598c149f8c85621c64aecd8d90bfc1b955b8987a2a5c76e",
        "version": "v0.26.0",
    },
    "io_bazel_rules_go": {
        "module": "github.com/bazelbuild/rules_go",
        "sha256": "c485387052fd81576e104fe12687963f340cc06350936561b9ee4b2ef87ea4e0",
        "version": "v0.34.0",
    },
}

# SHA-256 of the golang.org/toolchain module zip of GO_VERSION, by
# `<os>-<arch>`.
GO_SDK_SHA256 = {
    "linux-amd64": "30c2b1bf7dcc88d3eb0a1364e47ddd9128edb3110a30e8a0ef61cd5856b31de7",
}

# rustc 1.96 with the wasm32-wasip1 standard library, assembled from Debian
# 12's packages by offline_bootstrap/rust_1_96.sh into `dir` (the same bytes
# on every machine: the script checks its archive against this sha256), and
# registered by file:// URL by offline_bootstrap/rust.bzl.
RUST_1_96 = {
    "archive": "rust-1.96.0-x86_64-unknown-linux-gnu.tar.gz",
    "dir": "/opt/rules_rustc_wasm",
    "sha256": "31d9ece72ab106a3297a7ff35ed1a9e982986e6543103e691bdf1c47432dbaac",
    "strip_prefix": "rust-1.96.0",
    "version": "1.96.0",
}

def proxy_zip(module, version):
    """The Go module proxy's URL and strip prefix of a module's zip.

    Args:
      module: the module path (lower case).
      version: its version.

    Returns:
      struct(url, strip_prefix).
    """
    return struct(
        url = "https://proxy.golang.org/%s/@v/%s.zip" % (module, version),
        strip_prefix = "%s@%s" % (module, version),
    )
