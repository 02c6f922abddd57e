//! Unit tests, run natively:
//! `rustc --test --edition 2021 --crate-name proc_macro proc_macro/lib.rs -o /tmp/pmtest && /tmp/pmtest`.

mod api;
mod lex;
mod literal;
mod print;
mod rustc_cases;
mod wire;

use crate::{Delimiter, Spacing, TokenStream, TokenTree};

/// The trees of a stream, one per line, in the format of
/// `tests/rustc_print/dump.rs` (which records rustc's).
fn trees_text(stream: TokenStream) -> String {
    let mut out = String::new();
    for tree in stream {
        match tree {
            TokenTree::Group(g) => {
                let open = match g.delimiter() {
                    Delimiter::Parenthesis => "(",
                    Delimiter::Brace => "{",
                    Delimiter::Bracket => "[",
                    Delimiter::None => "0",
                };
                out.push_str(&format!("G{}\n{}E\n", open, trees_text(g.stream())));
            }
            TokenTree::Ident(i) => out.push_str(&format!("I{}\n", i)),
            TokenTree::Punct(p) => {
                let spacing = if p.spacing() == Spacing::Joint { "j" } else { "a" };
                out.push_str(&format!("P{}{}\n", p.as_char(), spacing));
            }
            TokenTree::Literal(l) => out.push_str(&format!("L{}\n", l)),
        }
    }
    out
}

/// Parses, panicking with the source on failure.
fn parse(src: &str) -> TokenStream {
    src.parse().unwrap_or_else(|e| panic!("{:?} does not lex: {:?}", src, e))
}
