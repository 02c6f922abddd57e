//! `#[derive(Describe)]`: adds `fn describe(&self) -> &'static str`, the type
//! name in words (through the `naming` helper library).
use proc_macro::{TokenStream, TokenTree};

#[proc_macro_derive(Describe)]
pub fn derive_describe(input: TokenStream) -> TokenStream {
    let mut tokens = input.into_iter();
    let mut name = None;
    while let Some(t) = tokens.next() {
        if let TokenTree::Ident(i) = &t {
            let kw = i.to_string();
            if kw == "struct" || kw == "enum" {
                if let Some(TokenTree::Ident(n)) = tokens.next() {
                    name = Some(n.to_string());
                }
                break;
            }
        }
    }
    let name = match name {
        Some(n) => n,
        None => return "compile_error!(\"Describe: expected a struct or an enum\");".parse().unwrap(),
    };
    let words = naming::words(&name);
    format!("impl {name} {{ pub fn describe(&self) -> &'static str {{ \"{words}\" }} }}")
        .parse()
        .unwrap()
}
