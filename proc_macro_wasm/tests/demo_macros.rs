//! A macro crate on the bare proc_macro API, as rules_rustc_wasm rewrites it
//! before compiling it to WebAssembly: each `#[proc_macro...]` attribute is
//! blanked out (the original lines are in the comments above them) and the
//! declarations, the key and `main` are appended at the end.
use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// `#[derive(Describe)]`: `fn describe_<Name>() -> &'static str`, the item
/// as `to_string` prints it (so the host can compare with `stringify!`).
// #[proc_macro_derive(Describe, attributes(describe))]

pub fn derive_describe(input: TokenStream) -> TokenStream {
    let name = item_name(input.clone()).expect("Describe: expected a struct or an enum");
    let text = Literal::string(&input.to_string());
    format!("#[allow(non_snake_case)] fn describe_{}() -> &'static str {{ {} }}", name, text).parse().unwrap()
}

/// `#[traced]`: the function prints `[trace] <name>` when entered. The body
/// keeps its tokens (and their spans) inside a new brace group.
// #[proc_macro_attribute]

pub fn traced(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = item.clone().into_iter().collect();
    let name = item_name(item).expect("traced: expected a function");
    let label = if args.is_empty() { name } else { args.to_string() };
    let body = match trees.pop() {
        Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace => body,
        _ => panic!("traced: expected a function with a body"),
    };
    let mut inner: TokenStream = format!("println!(\"[trace] {{}}\", {:?});", label).parse().unwrap();
    inner.extend(body.stream());
    trees.push(Group::new(Delimiter::Brace, inner).into());
    trees.into_iter().collect()
}

/// `#[keep]`: returns the item unchanged (its groups go back by index).
// #[proc_macro_attribute]

pub fn keep(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}

/// `sum!(1, 2, 3)`: the sum as a `u64` literal; prints what it adds.
// #[proc_macro]

pub fn sum(input: TokenStream) -> TokenStream {
    let mut total = 0u64;
    for tree in input {
        if let TokenTree::Literal(l) = tree {
            total += l.to_string().parse::<u64>().expect("sum: integers only");
        }
    }
    println!("sum: {}", total);
    TokenStream::from(TokenTree::Literal(Literal::u64_suffixed(total)))
}

/// `make_ident!(name)`: `let name = 7;` with spans derived from the input's
/// (`located_at`, `resolved_at`, `join`), so the host must replay them.
// #[proc_macro]

pub fn make_ident(input: TokenStream) -> TokenStream {
    let given = match input.into_iter().next() {
        Some(TokenTree::Ident(i)) => i,
        _ => panic!("make_ident: expected an identifier"),
    };
    let span = Span::mixed_site().located_at(given.span());
    let span = span.resolved_at(Span::call_site()).join(given.span()).unwrap();
    let mut eq = Punct::new('=', Spacing::Alone);
    eq.set_span(span);
    vec![
        TokenTree::Ident(Ident::new("let", span)),
        TokenTree::Ident(Ident::new(&given.to_string(), span)),
        TokenTree::Punct(eq),
        TokenTree::Literal(Literal::i32_unsuffixed(7)),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ]
    .into_iter()
    .collect()
}

/// `boom!(...)`: panics with the input in the message.
// #[proc_macro]

pub fn boom(input: TokenStream) -> TokenStream {
    panic!("boom: {}", input)
}

fn item_name(item: TokenStream) -> Option<String> {
    let mut trees = item.into_iter();
    while let Some(tree) = trees.next() {
        if let TokenTree::Ident(i) = tree {
            if matches!(i.to_string().as_str(), "struct" | "enum" | "fn") {
                return match trees.next() {
                    Some(TokenTree::Ident(name)) => Some(name.to_string()),
                    _ => None,
                };
            }
        }
    }
    None
}
#[doc(hidden)]
#[link_section = ".rustc_proc_macro_decls"]
#[used]
static __RULES_RUSTC_WASM_DECLS: [u8; 130] = *b"derive:Describe:derive_describe:describe\nattr:traced:traced\nattr:keep:keep\nbang:sum:sum\nbang:make_ident:make_ident\nbang:boom:boom\n";
#[doc(hidden)]
#[link_section = "rules_rustc_wasm.macro"]
#[used]
static __RULES_RUSTC_WASM_KEY: [u8; 32] = *b"v1 demo_macros-0123456789abcdef\n";
fn main() {
    ::proc_macro::__rules_rustc_wasm::serve(&[
        ::proc_macro::__rules_rustc_wasm::Macro::Derive("Describe", crate::derive_describe),
        ::proc_macro::__rules_rustc_wasm::Macro::Attr("traced", crate::traced),
        ::proc_macro::__rules_rustc_wasm::Macro::Attr("keep", crate::keep),
        ::proc_macro::__rules_rustc_wasm::Macro::Bang("sum", crate::sum),
        ::proc_macro::__rules_rustc_wasm::Macro::Bang("make_ident", crate::make_ident),
        ::proc_macro::__rules_rustc_wasm::Macro::Bang("boom", crate::boom),
    ])
}
