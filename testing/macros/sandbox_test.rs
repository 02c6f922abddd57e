//! What a wasm proc macro saw while it expanded (see probe.rs).
probe::sandbox_report!();

#[test]
fn reads_declared_inputs_of_the_crate() {
    assert_eq!(MANIFEST_DIR, "/testing/macros");
    assert_eq!(TEMPLATE, "hello from a declared input");
}

#[test]
fn sees_no_undeclared_or_host_file() {
    assert_eq!(UNDECLARED, "NotFound");
    assert_eq!(HOST_FILE, "NotFound");
}

#[test]
fn sees_the_compiles_environment_only() {
    // Cargo's variables, and the target's rustc_env (as strum_macros reads
    // STRUM_DEBUG); nothing of the host's.
    assert_eq!(VERSION, env!("SANDBOX_TEST_VERSION"));
    assert_eq!(PKG_NAME, env!("CARGO_PKG_NAME"));
    assert_eq!(RUSTC_ENV, "from rustc_env");
    assert!(!HOME_SET);
    assert!(!PATH_SET);
}

#[test]
fn sees_a_fixed_clock() {
    // 2000-01-01T00:00:00Z, whenever the build runs.
    assert_eq!(NOW, 946684800);
}

#[test]
fn cannot_start_processes_or_write() {
    assert!(SPAWN_FAILS);
    assert!(WRITE_FAILS);
}

#[test]
fn mixed_site_hygiene_survives_the_round_trip() {
    let hidden = 10;
    probe::define_hidden_and_visible!();
    // The macro's `hidden` (mixed_site) does not shadow ours; its
    // `visible` (call_site) is ours to use.
    assert_eq!(hidden + visible, 12);
}
