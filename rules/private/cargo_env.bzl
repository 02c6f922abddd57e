"""The version variables Cargo gives a crate's compile and its build script."""

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
