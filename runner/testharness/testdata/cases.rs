// A libtest harness for runner/testharness's tests, built with
// `rustc --test --target wasm32-wasi` (panic=abort: a panic traps).

#[test]
fn passes() {
    println!("hello from passes");
}

#[test]
fn fails_assert() {
    println!("out before");
    eprintln!("err before");
    assert_eq!(1 + 1, 3, "math is broken");
}

// Runs after fails_assert in the harness's order: a panic must not lose it.
#[test]
fn fails_later() {
    panic!("the second failure");
}

#[test]
fn exits_nonzero() {
    std::process::exit(3);
}

#[test]
#[ignore]
fn ignored_plain() {}

#[test]
#[ignore = "too slow"]
fn ignored_reason() {}

#[test]
fn writes_tmp() {
    if let Ok(dir) = std::env::var("TMPDIR") {
        std::fs::write(format!("{}/written_by_test", dir), "hi").unwrap();
    }
}

#[test]
fn prints_env() {
    for (k, v) in std::env::vars() {
        if k.starts_with("CASES_") || k == "TMPDIR" {
            println!("{}={}", k, v);
        }
    }
}

mod tests {
    #[test]
    fn inner() {
        print!("no newline");
    }

    #[test]
    #[should_panic]
    fn should_panic() {
        panic!("expected");
    }
}
