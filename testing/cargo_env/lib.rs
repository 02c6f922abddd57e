//! What Cargo's variables were in this crate's compile (COMPILE) and in
//! its build script's run (SCRIPT, passed on with cargo:rustc-env).

pub const COMPILE: &[(&str, &str)] = &[
    ("CARGO_PKG_NAME", env!("CARGO_PKG_NAME")),
    ("CARGO_CRATE_NAME", env!("CARGO_CRATE_NAME")),
    ("CARGO_PKG_VERSION", env!("CARGO_PKG_VERSION")),
    ("CARGO_PKG_VERSION_PRE", env!("CARGO_PKG_VERSION_PRE")),
    ("CARGO_PKG_AUTHORS", env!("CARGO_PKG_AUTHORS")),
    ("CARGO_PKG_DESCRIPTION", env!("CARGO_PKG_DESCRIPTION")),
    ("CARGO_PKG_HOMEPAGE", env!("CARGO_PKG_HOMEPAGE")),
    ("CARGO_PKG_LICENSE", env!("CARGO_PKG_LICENSE")),
    ("CARGO_PKG_LICENSE_FILE", env!("CARGO_PKG_LICENSE_FILE")),
    ("CARGO_PKG_README", env!("CARGO_PKG_README")),
    ("CARGO_PKG_REPOSITORY", env!("CARGO_PKG_REPOSITORY")),
    ("CARGO_PKG_RUST_VERSION", env!("CARGO_PKG_RUST_VERSION")),
];

pub const SCRIPT: &[(&str, &str)] = &[
    ("CARGO_PKG_NAME", env!("SCRIPT_CARGO_PKG_NAME")),
    ("CARGO_PKG_DESCRIPTION", env!("SCRIPT_CARGO_PKG_DESCRIPTION")),
    ("CARGO_PKG_AUTHORS", env!("SCRIPT_CARGO_PKG_AUTHORS")),
    ("CARGO_PKG_HOMEPAGE", env!("SCRIPT_CARGO_PKG_HOMEPAGE")),
];
