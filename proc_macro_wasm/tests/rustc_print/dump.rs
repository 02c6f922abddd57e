//! A native proc macro, compiled by rustc 1.63 itself, that records how
//! rustc prints and splits a token stream: `dump!("PREFIX" tokens...)` writes
//! `PREFIX.rustc` (the stream rebuilt from its trees, then `to_string`) and
//! `PREFIX.trees` (one line per tree, see `trees.rs`).
//!
//! The stream is rebuilt tree by tree first because that is what the guest
//! has: for input without doc comments it prints exactly as the input
//! itself; rustc prints doc comments of parsed input as `/// ...`, which the
//! trees (`#[doc = "..."]`) cannot show.
extern crate proc_macro;
use proc_macro::{Delimiter, Group, Spacing, TokenStream, TokenTree};

include!("trees.rs");

fn rebuild(stream: TokenStream) -> TokenStream {
    stream
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) => TokenTree::Group(Group::new(g.delimiter(), rebuild(g.stream()))),
            tree => tree,
        })
        .collect()
}

#[proc_macro]
pub fn dump(input: TokenStream) -> TokenStream {
    let mut input = input.into_iter();
    let prefix = match input.next() {
        Some(TokenTree::Literal(l)) => l.to_string().trim_matches('"').to_string(),
        _ => panic!("dump!: expected the output prefix first"),
    };
    let input: TokenStream = input.collect();
    std::fs::write(format!("{}.trees", prefix), trees_text(input.clone())).unwrap();
    std::fs::write(format!("{}.rustc", prefix), rebuild(input).to_string()).unwrap();
    TokenStream::new()
}
