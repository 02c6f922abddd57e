//! The scanner: source text to flat tokens, one at a time, skipping
//! whitespace and comments. It follows rustc's lexer (edition 2021), and
//! reports as errors what rustc would report while lexing (bad escapes,
//! missing digits, unknown prefixes, unterminated literals and comments).

use crate::chars::{can_be_raw, is_id_continue, is_id_start, is_punct, is_whitespace};
use std::ops::Range;

/// The kind of a literal token, as rustc names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LitKind {
    Byte,
    Char,
    Integer,
    Float,
    Str,
    StrRaw(u8),
    ByteStr,
    ByteStrRaw(u8),
}

/// The parts of a literal token, as byte ranges of its text.
#[derive(Clone, Debug)]
pub(crate) struct Lit {
    pub kind: LitKind,
    /// The symbol: the text without quotes, prefix, hashes or suffix.
    pub symbol: Range<usize>,
    /// Where the suffix starts (the text's length when there is none).
    pub suffix: usize,
}

/// A token without spacing or nesting.
#[derive(Clone, Debug)]
pub(crate) enum Raw<'a> {
    /// An identifier or keyword; `name` is without `r#`.
    Ident {
        name: &'a str,
        is_raw: bool,
    },
    /// A lifetime or label; `name` is without the quote.
    Lifetime(&'a str),
    Literal(Lit),
    Punct(char),
    Open(char),
    Close(char),
    /// A doc comment, with the text rustc puts in its `doc` attribute.
    Doc {
        inner: bool,
        text: &'a str,
    },
}

/// A token and where it is in the source.
#[derive(Clone, Debug)]
pub(crate) struct Token<'a> {
    pub raw: Raw<'a>,
    pub start: usize,
    pub end: usize,
}

/// The scanner's position in the source.
pub(crate) struct Scanner<'a> {
    src: &'a str,
    pos: usize,
}

type Result<T> = std::result::Result<T, String>;

impl<'a> Scanner<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Scanner { src, pos: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn first(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn second(&self) -> Option<char> {
        self.rest().chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.first()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat_while(&mut self, f: impl Fn(char) -> bool) {
        while matches!(self.first(), Some(c) if f(c)) {
            self.bump();
        }
    }

    /// The next token, or `None` at the end of the source.
    pub(crate) fn next_token(&mut self) -> Result<Option<Token<'a>>> {
        loop {
            self.eat_while(is_whitespace);
            let start = self.pos;
            let c = match self.bump() {
                Some(c) => c,
                None => return Ok(None),
            };
            let raw = match c {
                '/' if self.first() == Some('/') => match self.line_comment(start) {
                    Some(doc) => doc,
                    None => continue,
                },
                '/' if self.first() == Some('*') => match self.block_comment(start)? {
                    Some(doc) => doc,
                    None => continue,
                },
                '(' | '[' | '{' => Raw::Open(c),
                ')' | ']' | '}' => Raw::Close(c),
                '\'' => self.quote(start)?,
                '"' => self.string(start, LitKind::Str)?,
                '0'..='9' => self.number(start, c)?,
                'r' if self.first() == Some('#') && self.second().map_or(false, is_id_start) => self.raw_ident()?,
                'r' if matches!(self.first(), Some('#' | '"')) => self.raw_string(start, false)?,
                'b' if self.first() == Some('\'') => {
                    self.bump();
                    self.char_literal(start, LitKind::Byte)?
                }
                'b' if self.first() == Some('"') => {
                    self.bump();
                    self.string(start, LitKind::ByteStr)?
                }
                'b' if self.first() == Some('r') && matches!(self.second(), Some('#' | '"')) => {
                    self.bump();
                    self.raw_string(start, true)?
                }
                c if is_id_start(c) => self.ident(start)?,
                c if is_punct(c) => Raw::Punct(c),
                c => return Err(format!("unknown start of token: {:?}", c)),
            };
            return Ok(Some(Token { raw, start, end: self.pos }));
        }
    }

    /// After `/` with `/` next: a doc comment, or `None` for a plain one.
    fn line_comment(&mut self, start: usize) -> Option<Raw<'a>> {
        self.eat_while(|c| c != '\n');
        let text = &self.src[start..self.pos];
        let inner = text.starts_with("//!");
        if inner || (text.starts_with("///") && !text.starts_with("////")) {
            Some(Raw::Doc { inner, text: &text[3..] })
        } else {
            None
        }
    }

    /// After `/` with `*` next: a doc comment, or `None` for a plain one.
    fn block_comment(&mut self, start: usize) -> Result<Option<Raw<'a>>> {
        self.bump();
        let inner = self.first() == Some('!');
        let outer = self.first() == Some('*') && !matches!(self.second(), Some('*' | '/'));
        let mut depth = 1;
        while depth > 0 {
            match self.bump() {
                Some('/') if self.first() == Some('*') => {
                    self.bump();
                    depth += 1;
                }
                Some('*') if self.first() == Some('/') => {
                    self.bump();
                    depth -= 1;
                }
                Some(_) => {}
                None => return Err("unterminated block comment".to_string()),
            }
        }
        Ok(if inner || outer { Some(Raw::Doc { inner, text: &self.src[start + 3..self.pos - 2] }) } else { None })
    }

    /// After `'`: a lifetime or a character literal.
    fn quote(&mut self, start: usize) -> Result<Raw<'a>> {
        let can_be_lifetime =
            self.second() != Some('\'') && matches!(self.first(), Some(c) if is_id_start(c) || c.is_ascii_digit());
        if !can_be_lifetime {
            return self.char_literal(start, LitKind::Char);
        }
        let name_start = self.pos;
        self.bump();
        self.eat_while(is_id_continue);
        if self.first() == Some('\'') {
            self.bump();
            return self.finish_literal(start, LitKind::Char, start + 1..self.pos - 1);
        }
        let name = &self.src[name_start..self.pos];
        if name.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!("lifetimes cannot start with a number: '{}", name));
        }
        Ok(Raw::Lifetime(name))
    }

    /// After the opening quote of a character or byte literal.
    fn char_literal(&mut self, start: usize, kind: LitKind) -> Result<Raw<'a>> {
        let body = self.pos;
        if self.first() != Some('\\') && self.second() == Some('\'') {
            self.bump();
        } else {
            loop {
                match self.first() {
                    Some('\'') => break,
                    Some('\\') => {
                        self.bump();
                        self.bump();
                    }
                    Some('\n') | None => return Err("unterminated character literal".to_string()),
                    Some(_) => {
                        self.bump();
                    }
                }
            }
        }
        let symbol = body..self.pos;
        self.bump();
        self.finish_literal(start, kind, symbol)
    }

    /// After the opening `"` of a string or byte string.
    fn string(&mut self, start: usize, kind: LitKind) -> Result<Raw<'a>> {
        let body = self.pos;
        loop {
            match self.bump() {
                Some('"') => break,
                Some('\\') if matches!(self.first(), Some('\\' | '"')) => {
                    self.bump();
                }
                Some(_) => {}
                None => return Err("unterminated double quote string".to_string()),
            }
        }
        self.finish_literal(start, kind, body..self.pos - 1)
    }

    /// After the `r` (or `br`) of a raw string, at its hashes.
    fn raw_string(&mut self, start: usize, byte: bool) -> Result<Raw<'a>> {
        let hashes = self.rest().len() - self.rest().trim_start_matches('#').len();
        let n = u8::try_from(hashes).map_err(|_| "too many `#` in a raw string".to_string())?;
        self.pos += hashes;
        if self.bump() != Some('"') {
            return Err("found invalid character; only `#` is allowed in raw string delimitation".to_string());
        }
        let body = self.pos;
        let close = format!("\"{}", "#".repeat(hashes));
        let len = self.rest().find(&close).ok_or_else(|| "unterminated raw string".to_string())?;
        self.pos += len + close.len();
        let kind = if byte { LitKind::ByteStrRaw(n) } else { LitKind::StrRaw(n) };
        self.finish_literal(start, kind, body..body + len)
    }

    /// After a digit.
    fn number(&mut self, start: usize, first: char) -> Result<Raw<'a>> {
        let mut base = 10;
        if first == '0' {
            let prefixed = match self.first() {
                Some('b') => Some(2),
                Some('o') => Some(8),
                Some('x') => Some(16),
                _ => None,
            };
            if let Some(b) = prefixed {
                base = b;
                self.bump();
                let digits = if b == 16 { self.eat_digits(16) } else { self.eat_digits(10) };
                if !digits {
                    return Err("no valid digits found for number".to_string());
                }
            } else {
                self.eat_digits(10);
            }
        } else {
            self.eat_digits(10);
        }
        let mut kind = LitKind::Integer;
        match self.first() {
            Some('.') if self.second() != Some('.') && !self.second().map_or(false, is_id_start) => {
                self.bump();
                kind = LitKind::Float;
                if matches!(self.first(), Some('0'..='9')) {
                    self.eat_digits(10);
                    if matches!(self.first(), Some('e' | 'E')) {
                        self.bump();
                        self.exponent()?;
                    }
                }
            }
            Some('e' | 'E') => {
                self.bump();
                kind = LitKind::Float;
                self.exponent()?;
            }
            _ => {}
        }
        if kind == LitKind::Float && base != 10 {
            return Err("only decimal numbers can be floats".to_string());
        }
        let digits_end = self.pos;
        let lit = self.finish_literal(start, kind, start..digits_end)?;
        if base < 10 {
            let digits = &self.src[start + 2..digits_end];
            if let Some(d) = digits.chars().find(|c| c.to_digit(10).map_or(false, |d| d >= base)) {
                return Err(format!("invalid digit {:?} for a base {} literal", d, base));
            }
        }
        Ok(lit)
    }

    /// Eats digits of `base` (10 or 16) and underscores; were there digits?
    fn eat_digits(&mut self, base: u32) -> bool {
        let mut any = false;
        while let Some(c) = self.first() {
            if c == '_' {
            } else if c.is_digit(base) {
                any = true;
            } else {
                break;
            }
            self.bump();
        }
        any
    }

    /// After `e` or `E` in a float.
    fn exponent(&mut self) -> Result<()> {
        if matches!(self.first(), Some('-' | '+')) {
            self.bump();
        }
        if self.eat_digits(10) {
            Ok(())
        } else {
            Err("expected at least one digit in exponent".to_string())
        }
    }

    /// Eats the suffix of a literal and checks its escapes.
    fn finish_literal(&mut self, start: usize, kind: LitKind, symbol: Range<usize>) -> Result<Raw<'a>> {
        if self.first().map_or(false, is_id_start) {
            self.bump();
            self.eat_while(is_id_continue);
        }
        check_escapes(&self.src[symbol.clone()], kind)?;
        let suffix = symbol_end_to_suffix(kind, symbol.end - start);
        Ok(Raw::Literal(Lit { kind, symbol: symbol.start - start..symbol.end - start, suffix }))
    }

    /// After `r` with `#` and an identifier start next.
    fn raw_ident(&mut self) -> Result<Raw<'a>> {
        self.bump();
        let name_start = self.pos;
        self.eat_while(is_id_continue);
        let name = &self.src[name_start..self.pos];
        if !can_be_raw(name) {
            return Err(format!("`{}` cannot be a raw identifier", name));
        }
        Ok(Raw::Ident { name, is_raw: true })
    }

    /// After the first character of an identifier.
    fn ident(&mut self, start: usize) -> Result<Raw<'a>> {
        self.eat_while(is_id_continue);
        let name = &self.src[start..self.pos];
        if matches!(self.first(), Some('#' | '"' | '\'')) {
            return Err(format!("prefix `{}` is unknown", name));
        }
        Ok(Raw::Ident { name, is_raw: false })
    }
}

/// Where the suffix starts, given where the symbol ends: after the closing
/// quote and hashes for quoted kinds, right there for numbers.
fn symbol_end_to_suffix(kind: LitKind, end: usize) -> usize {
    match kind {
        LitKind::Integer | LitKind::Float => end,
        LitKind::Byte | LitKind::Char | LitKind::Str | LitKind::ByteStr => end + 1,
        LitKind::StrRaw(n) | LitKind::ByteStrRaw(n) => end + 1 + n as usize,
    }
}

/// Checks the escapes (and, for bytes, the characters) of a literal's symbol.
fn check_escapes(symbol: &str, kind: LitKind) -> Result<()> {
    let bytes = matches!(kind, LitKind::Byte | LitKind::ByteStr | LitKind::ByteStrRaw(_));
    let single = matches!(kind, LitKind::Byte | LitKind::Char);
    if let LitKind::StrRaw(_) | LitKind::ByteStrRaw(_) | LitKind::Integer | LitKind::Float = kind {
        return match symbol.chars().find(|&c| bytes && !c.is_ascii()) {
            Some(c) => Err(format!("non-ASCII character {:?} in a raw byte string", c)),
            None => Ok(()),
        };
    }
    let mut chars = symbol.chars();
    let mut count = 0;
    while let Some(c) = chars.next() {
        count += 1;
        if c != '\\' {
            if bytes && !c.is_ascii() {
                return Err(format!("non-ASCII character {:?} in a byte literal", c));
            }
            continue;
        }
        match chars.next() {
            Some('n' | 'r' | 't' | '\\' | '0' | '\'' | '"') => {}
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                match u8::from_str_radix(&hex, 16) {
                    Ok(v) if hex.len() == 2 && (bytes || v <= 0x7F) => {}
                    _ => return Err(format!("invalid escape \\x{}", hex)),
                }
            }
            Some('u') if !bytes => check_unicode_escape(&mut chars)?,
            Some('\n') if !single => {
                let rest = chars.as_str().trim_start_matches(is_whitespace);
                chars = rest.chars();
            }
            other => return Err(format!("unknown character escape: {:?}", other)),
        }
    }
    if single && count != 1 {
        return Err(if count == 0 {
            "empty character literal"
        } else {
            "character literal may only contain one codepoint"
        }
        .to_string());
    }
    Ok(())
}

/// After `\u`: `{`, one to six hex digits (underscores allowed after the first), `}`.
fn check_unicode_escape(chars: &mut std::str::Chars) -> Result<()> {
    let bad = || Err("invalid unicode character escape".to_string());
    if chars.next() != Some('{') {
        return bad();
    }
    let mut value: u32 = 0;
    let mut digits = 0;
    loop {
        match chars.next() {
            Some('}') if digits > 0 => break,
            Some('_') if digits > 0 => {}
            Some(c) if c.is_ascii_hexdigit() && digits < 6 => {
                value = value * 16 + c.to_digit(16).unwrap();
                digits += 1;
            }
            _ => return bad(),
        }
    }
    match char::from_u32(value) {
        Some(_) => Ok(()),
        None => bad(),
    }
}
