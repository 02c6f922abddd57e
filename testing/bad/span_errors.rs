// Errors that macros place on input tokens: they must land on the same
// file:line:col with wasm and with dylib macros.
span_macro::complain_about_second!(first second third);

#[derive(field_names::FieldNames)]
pub enum NotAStruct {
    A,
}

// proc-macro-error's emit_error!, from an attribute macro whose
// #[proc_macro_error] looks for its #[proc_macro_attribute].
#[non_empty::non_empty]
pub struct Counted {
    pub label: String,
    pub count: u32,
}
