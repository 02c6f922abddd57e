//! `shout!("text")` expands to the upper-cased string literal.
extern crate proc_macro;
use proc_macro::{Literal, TokenStream, TokenTree};

#[proc_macro]
pub fn shout(input: TokenStream) -> TokenStream {
    let text = input.to_string();
    let inner = text.trim().trim_matches('"').to_uppercase();
    TokenStream::from(TokenTree::Literal(Literal::string(&inner)))
}
