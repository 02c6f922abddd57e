#[test]
fn build_script_reached_the_compile() {
    assert!(greeting::configured_by_build_script());
    assert_eq!(greeting::BUILD_INFO, "greeting 0.3.1 (loud: true, arch: wasm32)");
    assert_eq!(greeting::TARGET, "wasm32-wasi");
}

#[test]
fn two_crates_named_util_coexist() {
    assert_eq!(uses_v1::util_version(), 1);
    assert_eq!(uses_v2::util_version(), 2);
}
