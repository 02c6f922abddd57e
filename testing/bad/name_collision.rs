//! Two macros of one name: a derive and a function-like macro share the
//! macro namespace, so this crate is an error (as it is for rustc).
use proc_macro::TokenStream;

#[proc_macro_derive(Same)]
pub fn derive_same(input: TokenStream) -> TokenStream {
    input
}

#[proc_macro]
#[allow(non_snake_case)]
pub fn Same(input: TokenStream) -> TokenStream {
    input
}
