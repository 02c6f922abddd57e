//! A derive that panics, as a buggy macro does.
use proc_macro::TokenStream;

#[proc_macro_derive(Panics)]
pub fn derive_panics(_input: TokenStream) -> TokenStream {
    panic!("this macro panics on purpose");
}
