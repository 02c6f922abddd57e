#[test]
fn build_script_reached_the_compile() {
    assert!(greeting::configured_by_build_script());
    assert_eq!(greeting::BUILD_INFO, "greeting 0.3.1 (loud: true, arch: wasm32)");
    // The triple as the compiler names it: target_env is "p1" on
    // wasm32-wasip1 (rustc 1.78 and newer), "" on rustc 1.63's wasm32-wasi.
    let want = if cfg!(target_env = "p1") { "wasm32-wasip1" } else { "wasm32-wasi" };
    assert_eq!(greeting::TARGET, want);
}

#[test]
fn two_crates_named_util_coexist() {
    assert_eq!(uses_v1::util_version(), 1);
    assert_eq!(uses_v2::util_version(), 2);
}
