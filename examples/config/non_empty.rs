//! `#[non_empty]`: an attribute macro on proc-macro-error, syn and quote.
//! On a struct it adds `fn empty_field(&self) -> Option<&'static str>`, the
//! name of the first `String` field that is empty. A field that is neither
//! a `String` nor an `Option` is an error at its type, reported with
//! proc-macro-error's `emit_error!`, which `#[proc_macro_error]` turns into
//! compile errors; on anything but a struct it stops with `abort!`, a panic
//! that `#[proc_macro_error]` catches (in a wasm module only where the
//! toolchain's wasm std unwinds). (`#[proc_macro_error]` looks for the
//! `#[proc_macro_attribute]` beside it, which the wasm build renames: the
//! rename must stay invisible to it.)
use proc_macro::TokenStream;
use proc_macro_error::{abort, emit_error, proc_macro_error};
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields, Type};

#[proc_macro_error]
#[proc_macro_attribute]
pub fn non_empty(_args: TokenStream, item: TokenStream) -> TokenStream {
    let input = parse_macro_input!(item as DeriveInput);
    let mut checks = Vec::new();
    match &input.data {
        Data::Struct(s) => {
            if let Fields::Named(named) = &s.fields {
                for field in &named.named {
                    let name = field.ident.as_ref().unwrap();
                    match last_segment(&field.ty).as_deref() {
                        Some("String") => {
                            let text = name.to_string();
                            checks.push(quote! { if self.#name.is_empty() { return Some(#text); } });
                        }
                        Some("Option") => {}
                        _ => emit_error!(field.ty, "#[non_empty]: field `{}` is neither a String nor an Option", name),
                    }
                }
            }
        }
        _ => abort!(input.ident, "#[non_empty] works on structs only"),
    }
    let name = &input.ident;
    let expanded = quote! {
        #input
        impl #name {
            pub fn empty_field(&self) -> Option<&'static str> {
                #(#checks)*
                None
            }
        }
    };
    expanded.into()
}

fn last_segment(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
