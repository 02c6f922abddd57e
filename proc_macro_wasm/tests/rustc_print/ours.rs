//! Our side of the comparison, natively: `ours SOURCE PREFIX...` lexes each
//! SOURCE with our proc_macro and writes `PREFIX.ours` (`to_string`) and
//! `PREFIX.ourtrees` (the trees, in `dump.rs`'s format).
use proc_macro::{Delimiter, Spacing, TokenStream, TokenTree};

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let source = std::fs::read_to_string(&pair[0]).unwrap();
        let (printed, text) = match source.parse::<TokenStream>() {
            Ok(stream) => {
                let mut text = String::new();
                trees(stream.clone(), &mut text);
                (stream.to_string(), text)
            }
            Err(e) => (format!("error: {:?}", e), String::new()),
        };
        std::fs::write(format!("{}.ours", pair[1]), printed).unwrap();
        std::fs::write(format!("{}.ourtrees", pair[1]), text).unwrap();
    }
}
