//! `#[derive(Fields)]`, on syn 2, quote and proc-macro-error2: gives a
//! struct `fn fields() -> &'static [&'static str]`, its field names.
//! Its errors go through proc-macro-error2: `abort!` (a panic that
//! `#[proc_macro_error]` catches, so the module unwinds) for what it cannot
//! derive, `emit_error!` for a field it refuses and goes on past.
use proc_macro::TokenStream;
use proc_macro_error2::{abort, emit_error, proc_macro_error};
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields as StructFields};

#[proc_macro_derive(Fields)]
#[proc_macro_error]
pub fn derive_fields(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let name = &input.ident;
    let named = match &input.data {
        Data::Struct(s) => match &s.fields {
            StructFields::Named(named) => named,
            other => abort!(other, "Fields needs named fields"),
        },
        _ => abort!(name, "Fields works on structs only"; help = "derive it on a struct with named fields"),
    };
    let mut names = Vec::new();
    for field in &named.named {
        let ident = field.ident.as_ref().unwrap();
        let text = ident.to_string();
        if text.starts_with('_') {
            emit_error!(ident, "field `{}` is private by its name: rename it or leave Fields out", text);
        }
        names.push(text);
    }
    let expanded = quote! {
        impl #name {
            pub fn fields() -> &'static [&'static str] {
                &[#(#names),*]
            }
        }
    };
    expanded.into()
}
