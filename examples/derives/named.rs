//! `#[derive(Named)]` with `#[named("...")]`: gives a type
//! `fn name() -> &'static str`, the attribute's text or the type's name.
use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, DeriveInput, LitStr};

#[proc_macro_derive(Named, attributes(named))]
pub fn derive_named(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let ident = &input.ident;
    let mut name = ident.to_string();
    for attr in &input.attrs {
        if attr.path.is_ident("named") {
            match attr.parse_args::<LitStr>() {
                Ok(lit) => name = lit.value(),
                Err(e) => return e.to_compile_error().into(),
            }
        }
    }
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        impl #impl_generics #ident #ty_generics #where_clause {
            pub fn name() -> &'static str {
                #name
            }
        }
    }
    .into()
}
