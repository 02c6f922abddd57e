use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let out_dir = env::var("OUT_DIR").expect("OUT_DIR");
    let version = env::var("CARGO_PKG_VERSION").expect("CARGO_PKG_VERSION");
    let loud = env::var("CARGO_FEATURE_LOUD").is_ok();
    let arch = env::var("CARGO_CFG_TARGET_ARCH").expect("CARGO_CFG_TARGET_ARCH");
    let generated = format!(
        "pub const BUILD_INFO: &str = \"greeting {} (loud: {}, arch: {})\";\n",
        version, loud, arch
    );
    fs::write(Path::new(&out_dir).join("generated.rs"), generated).expect("write generated.rs");
    println!("cargo:rustc-cfg=from_build_script");
    println!("cargo:rustc-env=GREETING_TARGET={}", env::var("TARGET").expect("TARGET"));
    println!("cargo:rerun-if-changed=build.rs");
}
