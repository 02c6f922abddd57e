//! `Literal`: kept as its source text, built the way rustc's proc_macro
//! builds it so that the text is the same.

use crate::scan::{Raw, Scanner};
use crate::{lex, LexError, Span};
use std::fmt;
use std::rc::Rc;
use std::str::FromStr;

/// A literal: a number, character, byte or (byte) string, possibly suffixed,
/// or a negative number.
#[derive(Clone)]
pub struct Literal {
    pub(crate) text: Rc<str>,
    pub(crate) span: Span,
}

macro_rules! integers {
    ($($suffixed:ident $unsuffixed:ident $t:ident,)*) => {$(
        #[doc = concat!("An integer with the `", stringify!($t), "` suffix.")]
        pub fn $suffixed(n: $t) -> Literal {
            Literal::from_text(&format!("{}{}", n, stringify!($t)))
        }
        #[doc = concat!("An integer without suffix, from a `", stringify!($t), "`.")]
        pub fn $unsuffixed(n: $t) -> Literal {
            Literal::from_text(&n.to_string())
        }
    )*};
}

macro_rules! floats {
    ($($suffixed:ident $unsuffixed:ident $t:ident,)*) => {$(
        #[doc = concat!("A float with the `", stringify!($t), "` suffix. Panics unless finite.")]
        pub fn $suffixed(n: $t) -> Literal {
            if !n.is_finite() {
                panic!("Invalid float literal {}", n);
            }
            Literal::from_text(&format!("{}{}", n, stringify!($t)))
        }
        #[doc = concat!("A float without suffix (always with a `.`), from a `", stringify!($t), "`. Panics unless finite.")]
        pub fn $unsuffixed(n: $t) -> Literal {
            if !n.is_finite() {
                panic!("Invalid float literal {}", n);
            }
            let mut text = n.to_string();
            if !text.contains('.') {
                text.push_str(".0");
            }
            Literal::from_text(&text)
        }
    )*};
}

impl Literal {
    /// A literal of this (valid) text, at the call site.
    pub(crate) fn from_text(text: &str) -> Literal {
        Literal { text: text.into(), span: Span::call_site() }
    }

    integers! {
        u8_suffixed u8_unsuffixed u8,
        u16_suffixed u16_unsuffixed u16,
        u32_suffixed u32_unsuffixed u32,
        u64_suffixed u64_unsuffixed u64,
        u128_suffixed u128_unsuffixed u128,
        usize_suffixed usize_unsuffixed usize,
        i8_suffixed i8_unsuffixed i8,
        i16_suffixed i16_unsuffixed i16,
        i32_suffixed i32_unsuffixed i32,
        i64_suffixed i64_unsuffixed i64,
        i128_suffixed i128_unsuffixed i128,
        isize_suffixed isize_unsuffixed isize,
    }

    floats! {
        f32_suffixed f32_unsuffixed f32,
        f64_suffixed f64_unsuffixed f64,
    }

    /// A string literal, escaped as `{:?}` escapes.
    pub fn string(string: &str) -> Literal {
        Literal::from_text(&format!("{:?}", string))
    }

    /// A character literal, escaped as `{:?}` escapes.
    pub fn character(ch: char) -> Literal {
        Literal::from_text(&format!("{:?}", ch))
    }

    /// A byte string literal; bytes outside printable ASCII are escaped.
    pub fn byte_string(bytes: &[u8]) -> Literal {
        let escaped: String = bytes.iter().flat_map(|&b| std::ascii::escape_default(b)).map(char::from).collect();
        Literal::from_text(&format!("b\"{}\"", escaped))
    }

    /// A byte literal, escaped as rustc 1.96's proc_macro escapes it.
    pub fn byte_character(byte: u8) -> Literal {
        let quotes = Quotes { single: true, double: false };
        Literal::from_text(&format!("b'{}'", escape_bytes(&[byte], quotes, true)))
    }

    /// A C string literal (`c"..."`, Rust 1.77), escaped as rustc 1.96's
    /// proc_macro escapes it: valid UTF-8 as characters, other bytes as `\x`.
    pub fn c_string(string: &std::ffi::CStr) -> Literal {
        let quotes = Quotes { single: false, double: true };
        Literal::from_text(&format!("c\"{}\"", escape_bytes(string.to_bytes(), quotes, false)))
    }

    pub fn span(&self) -> Span {
        self.span
    }

    pub fn set_span(&mut self, span: Span) {
        self.span = span;
    }

    /// The span of part of the literal: not available here, always `None`.
    pub fn subspan<R: std::ops::RangeBounds<usize>>(&self, _range: R) -> Option<Span> {
        None
    }

    /// A negative number, printed in a stream as `-` and the number.
    pub(crate) fn negated(&self) -> Option<&str> {
        self.text.strip_prefix('-')
    }
}

impl FromStr for Literal {
    type Err = LexError;

    /// Parses one literal, optionally a number preceded directly by `-`.
    fn from_str(src: &str) -> Result<Literal, LexError> {
        lex::parse_literal(src)
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Literal {
    /// As rustc shows it: kind, symbol, suffix and span.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text: &str = &self.text;
        let unsigned = self.negated().unwrap_or(text);
        let sign = text.len() - unsigned.len();
        let mut d = f.debug_struct("Literal");
        if let Ok(Some(token)) = Scanner::new(unsigned).next_token() {
            if let Raw::Literal(lit) = token.raw {
                let suffix = &unsigned[lit.suffix..];
                let symbol = if sign == 1 { &text[..lit.symbol.end + 1] } else { &unsigned[lit.symbol] };
                d.field("kind", &lit.kind)
                    .field("symbol", &symbol)
                    .field("suffix", &if suffix.is_empty() { None } else { Some(suffix) });
            }
        }
        d.field("span", &self.span).finish()
    }
}

/// Which quotes a literal's text escapes.
#[derive(Clone, Copy)]
struct Quotes {
    single: bool,
    double: bool,
}

/// Bytes as literal text, the way rustc 1.96's proc_macro writes them:
/// with `nonascii`, every byte on its own (`\x` for non-ASCII and control
/// bytes); without, valid UTF-8 as characters (`escape_debug`) and only the
/// bytes outside it as `\x`. A quote is escaped only where `quotes` says.
fn escape_bytes(bytes: &[u8], quotes: Quotes, nonascii: bool) -> String {
    let mut text = String::new();
    let byte = |b: u8, text: &mut String| match b {
        0 => text.push_str("\\0"),
        b'\'' if !quotes.single => text.push('\''),
        b'"' if !quotes.double => text.push('"'),
        _ => text.extend(std::ascii::escape_default(b).map(char::from)),
    };
    if nonascii {
        bytes.iter().for_each(|&b| byte(b, &mut text));
        return text;
    }
    let mut rest = bytes;
    while !rest.is_empty() {
        let (valid, invalid) = match std::str::from_utf8(rest) {
            Ok(s) => (s, 0),
            Err(e) => {
                let valid = std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default();
                (valid, e.error_len().unwrap_or(rest.len() - e.valid_up_to()))
            }
        };
        for ch in valid.chars() {
            match ch {
                '\'' if !quotes.single => text.push('\''),
                '"' if !quotes.double => text.push('"'),
                _ => text.extend(ch.escape_debug()),
            }
        }
        let bad = &rest[valid.len()..valid.len() + invalid];
        bad.iter().for_each(|&b| byte(b, &mut text));
        rest = &rest[valid.len() + invalid..];
    }
    text
}
