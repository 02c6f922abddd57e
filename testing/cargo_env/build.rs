//! Passes what Cargo told the script on to the crate, to compare.
fn main() {
    for name in ["CARGO_PKG_NAME", "CARGO_PKG_DESCRIPTION", "CARGO_PKG_AUTHORS", "CARGO_PKG_HOMEPAGE"] {
        let value = std::env::var(name).unwrap_or_else(|_| panic!("{} is not set", name));
        println!("cargo:rustc-env=SCRIPT_{}={}", name, value);
    }
}
