//! A native proc macro, compiled by rustc 1.63 itself, that records how
//! rustc prints and splits a token stream: `dump!("PREFIX" tokens...)` writes
//! `PREFIX.rustc` (the stream rebuilt from its trees, then `to_string`) and
//! `PREFIX.trees` (one line per tree, see `trees`).
//!
//! The stream is rebuilt tree by tree first because that is what the guest
//! has: for input without doc comments it prints exactly as the input
//! itself; rustc prints doc comments of parsed input as `/// ...`, which the
//! trees (`#[doc = "..."]`) cannot show.
extern crate proc_macro;
use proc_macro::{Delimiter, Group, Spacing, TokenStream, TokenTree};

/// `G(` .. `E` for groups, `I` identifiers, `Pcj`/`Pca` joint/alone
/// punctuation, `L` literals, as our unit tests read them.
fn trees(stream: TokenStream, out: &mut String) {
    for tree in stream {
        match tree {
            TokenTree::Group(g) => {
                let open = match g.delimiter() {
                    Delimiter::Parenthesis => "(",
                    Delimiter::Brace => "{",
                    Delimiter::Bracket => "[",
                    Delimiter::None => "0",
                };
                out.push_str(&format!("G{}\n", open));
                trees(g.stream(), out);
                out.push_str("E\n");
            }
            TokenTree::Ident(i) => out.push_str(&format!("I{}\n", i)),
            TokenTree::Punct(p) => {
                let spacing = if p.spacing() == Spacing::Joint { "j" } else { "a" };
                out.push_str(&format!("P{}{}\n", p.as_char(), spacing));
            }
            TokenTree::Literal(l) => out.push_str(&format!("L{}\n", l)),
        }
    }
}

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
    let mut text = String::new();
    trees(input.clone(), &mut text);
    std::fs::write(format!("{}.trees", prefix), text).unwrap();
    std::fs::write(format!("{}.rustc", prefix), rebuild(input).to_string()).unwrap();
    TokenStream::new()
}
