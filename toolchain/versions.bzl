"""Deprecated: load RUST_1_96 from @rules_rustc_wasm//offline_bootstrap:rust.bzl
instead; the other names (the versions of the rules' own dependencies) are
private now, with no public replacement: a workspace that pins its own
rules_go, gazelle or Go modules declares them before
rules_rustc_wasm_dependencies(), which then leaves them as they are. This
file only re-exports them and will be removed. (toolchain/ was a second
public surface; every .bzl file a user loads now lives in //rules, over
//rules/private.)"""

load("//offline_bootstrap:rust.bzl", _RUST_1_96 = "RUST_1_96")

# Re-exported for loads written before; the project's pins are private to
# it, and this repository's own packages read them.
# buildifier: disable=bzl-visibility
load("//rules/private:versions.bzl", _BOOTSTRAP_GO_MODULES = "BOOTSTRAP_GO_MODULES", _GAZELLE = "GAZELLE", _GO_MODULES = "GO_MODULES", _GO_SDK_SHA256 = "GO_SDK_SHA256", _GO_VERSION = "GO_VERSION", _RULES_GO = "RULES_GO", _proxy_zip = "proxy_zip")

# buildifier: disable=print
print("DEPRECATED: @rules_rustc_wasm//toolchain:versions.bzl is deprecated: load RUST_1_96 from @rules_rustc_wasm//offline_bootstrap:rust.bzl instead; its other names are the rules' private pins, with no public replacement (declare your own rules_go, gazelle and Go modules before rules_rustc_wasm_dependencies())")

RUST_1_96 = _RUST_1_96
GO_VERSION = _GO_VERSION
RULES_GO = _RULES_GO
GAZELLE = _GAZELLE
GO_MODULES = _GO_MODULES
BOOTSTRAP_GO_MODULES = _BOOTSTRAP_GO_MODULES
GO_SDK_SHA256 = _GO_SDK_SHA256
proxy_zip = _proxy_zip
