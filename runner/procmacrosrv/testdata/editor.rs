//! Wasm proc macros for the proc-macro server's tests: one of each kind,
//! macros that derive spans and make literals, and macros that fail.
use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// `impl Name { pub fn describe() -> &'static str { "Name" } }`, with the
/// input's own `Name` token.
#[proc_macro_derive(Describe, attributes(describe))]
pub fn describe(input: TokenStream) -> TokenStream {
    let mut tokens = input.into_iter();
    let mut name = None;
    while let Some(t) = tokens.next() {
        if matches!(&t, TokenTree::Ident(i) if i.to_string() == "struct" || i.to_string() == "enum") {
            if let Some(TokenTree::Ident(n)) = tokens.next() {
                name = Some(n);
            }
            break;
        }
    }
    let name = name.expect("Describe: no struct or enum");
    let body: TokenStream = format!("pub fn describe() -> &'static str {{ {} }}", Literal::string(&name.to_string()))
        .parse()
        .unwrap();
    let mut out = TokenStream::new();
    out.extend([
        TokenTree::Ident(Ident::new("impl", Span::call_site())),
        TokenTree::Ident(name),
        TokenTree::Group(Group::new(Delimiter::Brace, body)),
    ]);
    out
}

/// The item unchanged, then `const WRAPPED: &str = "<the arguments>";`.
#[proc_macro_attribute]
pub fn wrap(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut out = item;
    let tail: TokenStream = format!("const WRAPPED: &str = {};", Literal::string(&args.to_string())).parse().unwrap();
    out.extend(tail);
    out
}

#[proc_macro]
pub fn echo(input: TokenStream) -> TokenStream {
    input
}

/// `x y z`: x at mixed_site, y = call_site().located_at(first), z =
/// first.resolved_at(mixed_site()), where first is the input's first token.
#[proc_macro]
pub fn spans(input: TokenStream) -> TokenStream {
    let first = input.into_iter().next().expect("spans: no input").span();
    [
        Ident::new("x", Span::mixed_site()),
        Ident::new("y", Span::call_site().located_at(first)),
        Ident::new("z", first.resolved_at(Span::mixed_site())),
    ]
    .into_iter()
    .map(TokenTree::Ident)
    .collect()
}

/// One literal of each kind, a raw identifier and a joint punct.
#[proc_macro]
pub fn literals(_input: TokenStream) -> TokenStream {
    let mut out: TokenStream = "r##\"raw\"## b'a' br\"bytes\" 0x1Fu16 1e3 r#match".parse().unwrap();
    out.extend([
        TokenTree::Literal(Literal::u8_suffixed(7)),
        TokenTree::Literal(Literal::f64_suffixed(1.5)),
        TokenTree::Literal(Literal::string("a\n\"b\"")),
        TokenTree::Literal(Literal::character('\'')),
        TokenTree::Literal(Literal::i32_unsuffixed(-3)),
        TokenTree::Punct(Punct::new('=', Spacing::Joint)),
        TokenTree::Punct(Punct::new('>', Spacing::Alone)),
    ]);
    out
}

#[proc_macro]
pub fn panics(_input: TokenStream) -> TokenStream {
    panic!("panicked on purpose")
}

#[proc_macro]
pub fn spins(_input: TokenStream) -> TokenStream {
    let mut n: u64 = 0;
    loop {
        n = unsafe { std::ptr::read_volatile(&n) }.wrapping_add(1);
    }
}

/// More memory than any cap: 16 MiB at a time, kept.
#[proc_macro]
pub fn grows(_input: TokenStream) -> TokenStream {
    let mut held = Vec::new();
    loop {
        held.push(vec![1u8; 16 << 20]);
    }
}

/// The contents of $CARGO_MANIFEST_DIR/input.txt, or the error reading
/// the file named by the input's string literal, as a string literal.
#[proc_macro]
pub fn reads(input: TokenStream) -> TokenStream {
    let path = match input.into_iter().next() {
        Some(TokenTree::Literal(l)) => l.to_string().trim_matches('"').to_string(),
        _ => format!("{}/input.txt", std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text.trim().to_string(),
        Err(e) => format!("error: {:?}", e.kind()),
    };
    TokenTree::Literal(Literal::string(&text)).into()
}
