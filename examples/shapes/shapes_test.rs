use shapes::{RightTriangle, PERIMETER_3_4_5};
use sum::sum;

#[test]
fn derive_describe_uses_the_helper_library() {
    assert_eq!(RightTriangle { a: 1, b: 1 }.describe(), "right triangle");
}

#[test]
fn traced_functions_keep_their_results() {
    let t = RightTriangle { a: 3, b: 4 };
    assert_eq!(t.area_doubled(), 12);
    assert!(t.has_hypotenuse(5));
    assert!(!t.has_hypotenuse(6));
}

#[test]
fn sum_runs_at_compile_time() {
    const S: u64 = sum!(10, 20, 12);
    assert_eq!(S, 42);
    assert_eq!(PERIMETER_3_4_5, 12);
}
