// The trees of a token stream, one per line: `G(` .. `E` for groups, `I`
// identifiers, `Pcj`/`Pca` joint/alone punctuation, `L` literals. Included
// by dump.rs (rustc's own proc_macro), ours.rs and our proc_macro's unit
// tests, so that all three write the one format; the includer brings
// `Delimiter`, `Spacing`, `TokenStream` and `TokenTree` into scope.

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
