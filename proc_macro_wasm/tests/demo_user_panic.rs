//! A macro that panics: rustc must report it with the panic's message.
demo_macros::boom!(a + b);
fn main() {}
