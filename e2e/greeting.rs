//! A library whose build script generates code and sets a cfg and an env.

include!(concat!(env!("OUT_DIR"), "/generated.rs"));

/// The target the build script was told about.
pub const TARGET: &str = env!("GREETING_TARGET");

/// Whether the build script's cfg reached this compile.
#[cfg(from_build_script)]
pub fn configured_by_build_script() -> bool {
    true
}

/// Greets someone, loudly with the `loud` feature.
pub fn greet(name: &str) -> String {
    if cfg!(feature = "loud") {
        format!("HELLO, {}!", name.to_uppercase())
    } else {
        format!("hello, {}", name)
    }
}
