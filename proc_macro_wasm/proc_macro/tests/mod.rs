//! Unit tests, run natively:
//! `rustc --test --edition 2021 --crate-name proc_macro proc_macro/lib.rs -o /tmp/pmtest && /tmp/pmtest`.

mod api;
mod lex;
mod literal;
mod print;
mod rustc_cases;
mod wire;

use crate::{Delimiter, Spacing, TokenStream, TokenTree};

include!("../../tests/rustc_print/trees.rs");

/// Parses, panicking with the source on failure.
fn parse(src: &str) -> TokenStream {
    src.parse().unwrap_or_else(|e| panic!("{:?} does not lex: {:?}", src, e))
}
