// Errors that macros place on input tokens: they must land on the same
// file:line:col with wasm and with dylib macros.
span_macro::complain_about_second!(first second third);

#[derive(field_names::FieldNames)]
pub enum NotAStruct {
    A,
}
