//! `#[derive(FieldNames)]`: a proc macro written on syn and quote, as real
//! macros are. It gives a struct `fn field_names() -> &'static [&'static str]`.
use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields};

pub fn derive_field_names(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let name = &input.ident;
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => {
                named.named.iter().map(|f| f.ident.as_ref().unwrap().to_string()).collect::<Vec<_>>()
            }
            _ => Vec::new(),
        },
        _ => return syn::Error::new_spanned(name, "FieldNames works on structs only").to_compile_error().into(),
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
// Above: examples/config/field_names.rs as rules_rustc_wasm rewrites it for a
// WebAssembly build: the `#[proc_macro_derive(FieldNames)]` attribute
// before `derive_field_names` is blanked out and the generated items are
// appended. Everything else is the example, unchanged.
#[doc(hidden)]
#[link_section = ".rustc_proc_macro_decls"]
#[used]
static __RULES_RUSTC_WASM_DECLS: [u8; 37] = *b"derive:FieldNames:derive_field_names\n";
#[doc(hidden)]
#[link_section = "rules_rustc_wasm.macro"]
#[used]
static __RULES_RUSTC_WASM_KEY: [u8; 32] = *b"v1 field_names-00000000deadbeef\n";
fn main() {
    ::proc_macro::__rules_rustc_wasm::serve(&[::proc_macro::__rules_rustc_wasm::Macro::Derive(
        "FieldNames",
        crate::derive_field_names,
    )])
}
