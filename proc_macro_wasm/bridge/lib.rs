//! `rules_rustc_wasm_bridge`: the native half of a WebAssembly proc macro.
//!
//! rules_rustc_wasm generates, for each macro crate compiled to WebAssembly,
//! a native proc-macro "shim" crate with the same macros; each shim function
//! calls [`derive`], [`attr`] or [`bang`] here. The bridge turns the input
//! into token trees with span ids (keeping the real spans and groups in
//! tables), sends them over the runner's Unix socket, and rebuilds the
//! output from the trees that come back. See `proc_macro_wasm/README.md`.

extern crate proc_macro;

mod convert;
mod socket;
// The bridge encodes requests and decodes responses: the other half is the guest's.
#[allow(dead_code)]
#[path = "../wire.rs"]
mod wire;

use proc_macro::TokenStream;
use wire::{MacroKind, Request, Response};

/// Expands the derive macro `name` (the trait's name) of the module `key`.
pub fn derive(key: &str, name: &str, input: TokenStream) -> TokenStream {
    expand(key, MacroKind::Derive, name, None, input)
}

/// Expands the attribute macro `name` of the module `key`.
pub fn attr(key: &str, name: &str, args: TokenStream, item: TokenStream) -> TokenStream {
    expand(key, MacroKind::Attr, name, Some(args), item)
}

/// Expands the function-like macro `name` of the module `key`.
pub fn bang(key: &str, name: &str, input: TokenStream) -> TokenStream {
    expand(key, MacroKind::Bang, name, None, input)
}

fn expand(key: &str, kind: MacroKind, name: &str, args: Option<TokenStream>, input: TokenStream) -> TokenStream {
    let mut tables = convert::Tables::new();
    let attr_args = args.map(|args| tables.encode(args));
    let input = tables.encode(input);
    let request = Request {
        kind,
        name: name.to_string(),
        span_count: wire::len_u32(tables.span_count()),
        group_count: wire::len_u32(tables.group_count()),
        attr_args,
        input,
    };
    let reply = socket::call(key, &request.encode()).unwrap_or_else(|e| panic!("{}", e));
    print!("{}", reply.stdout);
    if reply.status != 0 {
        // 1: the macro panicked; 2: the runner could not expand (timeout, trap, no module ...).
        panic!("{}", reply.message().unwrap_or_else(|e| format!("bad reply from the runner: {}", e)));
    }
    let result = match Response::decode(&reply.body) {
        Ok(Response::Ok { new_spans, stream }) => tables.rebuild(&new_spans, stream),
        Ok(Response::Panic(message)) => Err(message),
        Err(e) => Err(format!("bad response from `{}`'s WebAssembly module: {}", socket::crate_name(key), e)),
    };
    result.unwrap_or_else(|message| panic!("{}", message))
}
