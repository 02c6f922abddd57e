// A test that fails, for .ci/test: `bazel test //testing/bad:failing_test`
// must fail, in both flavours, and report every test.

// With a real compiler the test panics; the rustc stand-in fails any test
// whose body contains standin_fail! (testing/rustc_standin/harness.go).
macro_rules! standin_fail {
    () => {
        assert_eq!(1 + 1, 3, "this test fails on purpose")
    };
}

#[test]
fn passes() {
    assert_eq!(2 + 2, 4);
}

#[test]
fn fails_on_purpose() {
    println!("output of the failing test");
    standin_fail!();
}

#[test]
#[ignore = "ignored on purpose"]
fn ignored_on_purpose() {}

// Runs after the failure, in a fresh instance.
mod after {
    #[test]
    fn still_runs() {}
}
