//! Character classes of Rust's lexical grammar.
//!
//! `std` has no XID tables, so identifiers use `char::is_alphabetic` and
//! `char::is_alphanumeric` plus the common combining-mark blocks: close to
//! XID_Start / XID_Continue for real code, not exact for exotic scripts.

/// Can `c` start an identifier?
pub(crate) fn is_id_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

/// Can `c` continue an identifier?
pub(crate) fn is_id_continue(c: char) -> bool {
    c == '_'
        || c.is_ascii_alphanumeric()
        || (!c.is_ascii()
            && (c.is_alphanumeric()
                || matches!(c as u32, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)))
}

/// Is `s` an identifier (keywords and `_` included, `r#` and lifetimes not)?
pub(crate) fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if is_id_start(c)) && chars.all(is_id_continue)
}

/// Identifiers that `r#` cannot be put before.
pub(crate) fn can_be_raw(s: &str) -> bool {
    !matches!(s, "_" | "crate" | "self" | "Self" | "super")
}

/// Rust's whitespace (Unicode Pattern_White_Space).
pub(crate) fn is_whitespace(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{B}' | '\u{C}' | '\r' | ' ' | '\u{85}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
    )
}

/// The characters a `Punct` can hold.
pub(crate) fn is_punct(c: char) -> bool {
    "=<>!~+-*/%^&|@.,;:#$?'".contains(c)
}
