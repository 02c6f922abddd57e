//! FieldNames on an enum: a compile error at the enum's name.
use field_names::FieldNames;

#[derive(FieldNames)]
enum NotAStruct {
    A,
}

fn main() {}
