//! `#[derive(Fields)]`, on syn 2 and quote: gives a struct
//! `fn fields() -> &'static [&'static str]`, its field names.
use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields as StructFields};

#[proc_macro_derive(Fields)]
pub fn derive_fields(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let name = &input.ident;
    let names: Vec<String> = match &input.data {
        Data::Struct(s) => match &s.fields {
            StructFields::Named(named) => named.named.iter().map(|f| f.ident.as_ref().unwrap().to_string()).collect(),
            _ => Vec::new(),
        },
        _ => return syn::Error::new_spanned(name, "Fields works on structs only").to_compile_error().into(),
    };
    let expanded = quote! {
        impl #name {
            pub fn fields() -> &'static [&'static str] {
                &[#(#names),*]
            }
        }
    };
    expanded.into()
}
