//! Token trees: `TokenTree` and its `Group`, `Ident` and `Punct` variants
//! (`Literal` has its own file).

use crate::chars::{can_be_raw, is_ident, is_punct};
use crate::{print, Literal, Span, TokenStream};
use std::fmt;
use std::rc::Rc;

/// A single token or a delimited sequence of token trees.
#[derive(Clone)]
pub enum TokenTree {
    Group(Group),
    Ident(Ident),
    Punct(Punct),
    Literal(Literal),
}

impl TokenTree {
    /// The span of this tree (for a group, the whole group).
    pub fn span(&self) -> Span {
        match self {
            TokenTree::Group(t) => t.span(),
            TokenTree::Ident(t) => t.span(),
            TokenTree::Punct(t) => t.span(),
            TokenTree::Literal(t) => t.span(),
        }
    }

    /// Sets the span of this tree (for a group, of its delimiters only).
    pub fn set_span(&mut self, span: Span) {
        match self {
            TokenTree::Group(t) => t.set_span(span),
            TokenTree::Ident(t) => t.set_span(span),
            TokenTree::Punct(t) => t.set_span(span),
            TokenTree::Literal(t) => t.set_span(span),
        }
    }
}

macro_rules! tree_from {
    ($($variant:ident),*) => {$(
        impl From<$variant> for TokenTree {
            fn from(t: $variant) -> TokenTree {
                TokenTree::$variant(t)
            }
        }
    )*};
}
tree_from!(Group, Ident, Punct, Literal);

impl fmt::Display for TokenTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenTree::Group(t) => fmt::Display::fmt(t, f),
            TokenTree::Ident(t) => fmt::Display::fmt(t, f),
            TokenTree::Punct(t) => fmt::Display::fmt(t, f),
            TokenTree::Literal(t) => fmt::Display::fmt(t, f),
        }
    }
}

impl fmt::Debug for TokenTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenTree::Group(t) => fmt::Debug::fmt(t, f),
            TokenTree::Ident(t) => fmt::Debug::fmt(t, f),
            TokenTree::Punct(t) => fmt::Debug::fmt(t, f),
            TokenTree::Literal(t) => fmt::Debug::fmt(t, f),
        }
    }
}

/// How a group's stream is delimited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delimiter {
    /// `( ... )`
    Parenthesis,
    /// `{ ... }`
    Brace,
    /// `[ ... ]`
    Bracket,
    /// An invisible delimiter (for example around a `macro_rules` fragment).
    None,
}

/// A delimited token stream.
#[derive(Clone)]
pub struct Group {
    pub(crate) delimiter: Delimiter,
    pub(crate) stream: TokenStream,
    pub(crate) span: Span,
    pub(crate) span_open: Span,
    pub(crate) span_close: Span,
    /// The index of the input group this is, while it is unchanged.
    pub(crate) input: Option<u32>,
}

impl Group {
    /// A group with the call site as its span.
    pub fn new(delimiter: Delimiter, stream: TokenStream) -> Group {
        let span = Span::call_site();
        Group { delimiter, stream, span, span_open: span, span_close: span, input: None }
    }

    pub fn delimiter(&self) -> Delimiter {
        self.delimiter
    }

    /// The stream between the delimiters.
    pub fn stream(&self) -> TokenStream {
        self.stream.clone()
    }

    /// The span of the whole group, delimiters included.
    pub fn span(&self) -> Span {
        self.span
    }

    pub fn span_open(&self) -> Span {
        self.span_open
    }

    pub fn span_close(&self) -> Span {
        self.span_close
    }

    /// Sets the span of the delimiters (not of the tokens inside).
    pub fn set_span(&mut self, span: Span) {
        self.span = span;
        self.span_open = span;
        self.span_close = span;
        self.input = None;
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&print::trees_to_string(std::slice::from_ref(&TokenTree::Group(self.clone()))))
    }
}

impl fmt::Debug for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Group")
            .field("delimiter", &self.delimiter)
            .field("stream", &self.stream)
            .field("span", &self.span)
            .finish()
    }
}

/// Whether a punctuation character is followed directly by another one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spacing {
    /// Followed by something else (or the end).
    Alone,
    /// Followed directly by another punctuation character (`+=`, `'a`).
    Joint,
}

/// A single punctuation character.
#[derive(Clone)]
pub struct Punct {
    pub(crate) ch: char,
    pub(crate) spacing: Spacing,
    pub(crate) span: Span,
}

impl Punct {
    /// Panics unless `ch` is one of the punctuation characters Rust has.
    pub fn new(ch: char, spacing: Spacing) -> Punct {
        if !is_punct(ch) {
            panic!("unsupported character `{:?}`", ch);
        }
        Punct { ch, spacing, span: Span::call_site() }
    }

    pub fn as_char(&self) -> char {
        self.ch
    }

    pub fn spacing(&self) -> Spacing {
        self.spacing
    }

    pub fn span(&self) -> Span {
        self.span
    }

    pub fn set_span(&mut self, span: Span) {
        self.span = span;
    }
}

impl fmt::Display for Punct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.ch)
    }
}

impl fmt::Debug for Punct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Punct").field("ch", &self.ch).field("spacing", &self.spacing).field("span", &self.span).finish()
    }
}

impl PartialEq<char> for Punct {
    fn eq(&self, rhs: &char) -> bool {
        self.ch == *rhs
    }
}

impl PartialEq<Punct> for char {
    fn eq(&self, rhs: &Punct) -> bool {
        *self == rhs.ch
    }
}

/// An identifier or keyword, possibly raw (`r#type`).
#[derive(Clone)]
pub struct Ident {
    pub(crate) name: Rc<str>,
    pub(crate) is_raw: bool,
    pub(crate) span: Span,
}

impl Ident {
    /// Panics unless `string` is an identifier (keywords and `_` are).
    pub fn new(string: &str, span: Span) -> Ident {
        if !is_ident(string) {
            panic!("`{:?}` is not a valid identifier", string);
        }
        Ident::unchecked(string, false, span)
    }

    /// `r#string`. Panics for `_`, `crate`, `self`, `Self` and `super`.
    pub fn new_raw(string: &str, span: Span) -> Ident {
        if !is_ident(string) {
            panic!("`{:?}` is not a valid identifier", string);
        }
        if !can_be_raw(string) {
            panic!("`{}` cannot be a raw identifier", string);
        }
        Ident::unchecked(string, true, span)
    }

    /// An identifier already known to be valid (from the lexer or the host).
    pub(crate) fn unchecked(name: &str, is_raw: bool, span: Span) -> Ident {
        Ident { name: name.into(), is_raw, span }
    }

    pub fn span(&self) -> Span {
        self.span
    }

    pub fn set_span(&mut self, span: Span) {
        self.span = span;
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_raw {
            f.write_str("r#")?;
        }
        f.write_str(&self.name)
    }
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ident").field("ident", &self.to_string()).field("span", &self.span).finish()
    }
}
