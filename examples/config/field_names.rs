//! `#[derive(FieldNames)]`: a proc macro written on syn and quote, as real
//! macros are. It gives a struct `fn field_names() -> &'static [&'static str]`.
use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields};

#[proc_macro_derive(FieldNames)]
pub fn derive_field_names(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let name = &input.ident;
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => named
                .named
                .iter()
                .map(|f| f.ident.as_ref().unwrap().to_string())
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        },
        _ => {
            return syn::Error::new_spanned(name, "FieldNames works on structs only")
                .to_compile_error()
                .into()
        }
    };
    let expanded = quote! {
        impl #name {
            pub fn field_names() -> &'static [&'static str] {
                &[#(#fields),*]
            }
        }
    };
    expanded.into()
}
