//! The `proc_macro` API for procedural macros compiled to WebAssembly
//! (`wasm32-wasi`) by rules_rustc_wasm.
//!
//! A macro crate built as a WebAssembly command links this crate in place of
//! rustc's `proc_macro`. The module receives its input as token trees on
//! stdin (from the native bridge inside rustc, through the runner) and
//! writes its output trees at the end of stdout; see `README.md` next to this
//! directory for the protocol. Everything here is plain data: tokens, spans
//! as ids the host maps back to real spans, and rustc 1.63's printing rules
//! for `to_string`.
//!
//! The stable API of Rust 1.63 is provided, with `Span::join`,
//! `Span::source_text` and `Literal::subspan` from the unstable one (the
//! last two always `None`), and what newer crates call (proc-macro2 1.0.107
//! probes rustc 1.96's API and calls it): `Literal::byte_character` and
//! `Literal::c_string`, and `Span`'s location queries (`start`, `end`,
//! `line`, `column`, `file`, `local_file`, `byte_range`), which a module
//! cannot answer and which fail the expansion with a message naming the
//! call. There is no `Diagnostic` API and no `quote!`.

mod chars;
mod convert;
mod lex;
mod literal;
mod pp;
mod print;
mod scan;
mod span;
mod stream;
mod tree;
// The guest decodes requests and encodes responses: the other half is the bridge's.
#[allow(dead_code)]
#[path = "../wire.rs"]
mod wire;

#[doc(hidden)]
#[path = "serve.rs"]
pub mod __rules_rustc_wasm;

#[cfg(test)]
mod tests;

pub use literal::Literal;
pub use span::Span;
pub use stream::{token_stream, LexError, TokenStream};
pub use tree::{Delimiter, Group, Ident, Punct, Spacing, TokenTree};

/// Whether the proc_macro API can be used: true while a macro is being
/// expanded (proc-macro2 falls back to its own implementation otherwise).
pub fn is_available() -> bool {
    __rules_rustc_wasm::serving()
}
