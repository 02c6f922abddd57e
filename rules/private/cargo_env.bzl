"""The package variables Cargo gives a crate's compile and its build script.

Computed here only: the compile (crate.bzl, into CrateInfo.env), the build
script's run (build_script.bzl) and rust-project.json (which reads
CrateInfo.env) all take them from cargo_package_env.
"""

load(":validate.bzl", "check_no_control_chars")

# The keys of the `cargo_package` attribute: fields of Cargo.toml's
# [package] table, and the variable Cargo sets from each.
CARGO_PACKAGE_KEYS = {
    "authors": "CARGO_PKG_AUTHORS",
    "description": "CARGO_PKG_DESCRIPTION",
    "homepage": "CARGO_PKG_HOMEPAGE",
    "license": "CARGO_PKG_LICENSE",
    "license_file": "CARGO_PKG_LICENSE_FILE",
    "readme": "CARGO_PKG_README",
    "repository": "CARGO_PKG_REPOSITORY",
    "rust_version": "CARGO_PKG_RUST_VERSION",
}

def cargo_version_env(version):
    """CARGO_PKG_VERSION and its parts, as Cargo sets them.

    Args:
      version: a semver version such as 1.0.47 or 0.3.1-beta.2+build.

    Returns:
      A dict of CARGO_PKG_VERSION, _MAJOR, _MINOR, _PATCH and _PRE.
    """
    core = version.split("+")[0]
    nums = (core.split("-")[0].split(".") + ["0", "0", "0"])[:3]
    return {
        "CARGO_PKG_VERSION": version,
        "CARGO_PKG_VERSION_MAJOR": nums[0],
        "CARGO_PKG_VERSION_MINOR": nums[1],
        "CARGO_PKG_VERSION_PATCH": nums[2],
        "CARGO_PKG_VERSION_PRE": core.split("-", 1)[1] if "-" in core else "",
    }

def cargo_package_env(ctx, version, default_name):
    """Every CARGO_PKG_* variable Cargo sets for a package, from the rule's attributes.

    As Cargo does, each variable of CARGO_PACKAGE_KEYS is set, empty when
    the package has no such field.

    Args:
      ctx: the rule context, with the attributes `pkg_name` and `cargo_package`.
      version: the package's version; "" is 0.0.0 (a first-party crate
        without one gets Cargo's variables all the same, as rules_rust's do).
      default_name: CARGO_PKG_NAME when `pkg_name` is empty.

    Returns:
      A dict of CARGO_PKG_NAME, the version variables and those of
      CARGO_PACKAGE_KEYS.
    """
    package = ctx.attr.cargo_package
    for key in package:
        if key not in CARGO_PACKAGE_KEYS:
            fail("%s: attribute cargo_package: unknown key %r (known: %s)" % (ctx.label, key, ", ".join(sorted(CARGO_PACKAGE_KEYS))))
    check_no_control_chars(ctx.label, "cargo_package", package)
    env = {"CARGO_PKG_NAME": ctx.attr.pkg_name or default_name}
    env.update(cargo_version_env(version or "0.0.0"))
    for key, name in CARGO_PACKAGE_KEYS.items():
        env[name] = package.get(key, "")
    return env
