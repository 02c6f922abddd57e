//! Cargo's package variables, as Cargo sets them: each one, empty when the
//! package has no such field, in the compile and in the build script.
use pkg_env::{COMPILE, SCRIPT};

fn get(table: &[(&str, &str)], name: &str) -> String {
    table.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string()).unwrap()
}

#[test]
fn compile_has_cargo_package_env() {
    for (name, want) in [
        ("CARGO_PKG_NAME", "pkg-env"),
        ("CARGO_CRATE_NAME", "pkg_env"),
        ("CARGO_PKG_VERSION", "1.2.3-beta.1"),
        ("CARGO_PKG_VERSION_PRE", "beta.1"),
        ("CARGO_PKG_AUTHORS", "A. Author <a@example.com>:B. Author"),
        ("CARGO_PKG_DESCRIPTION", "A crate that reads its own Cargo variables"),
        ("CARGO_PKG_HOMEPAGE", ""),
        ("CARGO_PKG_LICENSE", "MIT OR Apache-2.0"),
        ("CARGO_PKG_LICENSE_FILE", ""),
        ("CARGO_PKG_README", ""),
        ("CARGO_PKG_REPOSITORY", "https://example.com/pkg-env"),
        ("CARGO_PKG_RUST_VERSION", "1.63"),
    ] {
        assert_eq!(get(COMPILE, name), want, "{}", name);
    }
}

#[test]
fn build_script_saw_the_same() {
    for (name, _) in SCRIPT {
        assert_eq!(get(SCRIPT, name), get(COMPILE, name), "{}", name);
    }
}
