// Does not compile: .ci/test checks that rustc's diagnostic is shown, the
// build fails and no output is left.
pub fn answer() -> u32 {
    "forty-two"
}
