//! Parsing source text into token trees (`TokenStream::from_str` and
//! `Literal::from_str`), as rustc's proc_macro server does: a punctuation
//! character directly followed by another one is `Joint`, a lifetime is a
//! joint `'` and an identifier, a doc comment is `#[doc = "..."]` (with `!`
//! for inner ones). Every token gets `Span::call_site()`.

use crate::scan::{LitKind, Raw, Scanner, Token};
use crate::{Delimiter, Group, Ident, LexError, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// Parses a whole token stream.
pub(crate) fn parse(src: &str) -> Result<TokenStream, LexError> {
    let normalized;
    let src = if src.contains("\r\n") {
        normalized = src.replace("\r\n", "\n");
        &normalized
    } else {
        src
    };
    let tokens = tokens(src)?;
    let mut stack: Vec<(char, Vec<TokenTree>)> = Vec::new();
    let mut trees = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        match &token.raw {
            Raw::Open(c) => {
                stack.push((*c, std::mem::take(&mut trees)));
                continue;
            }
            Raw::Close(c) => {
                let (open, outer) =
                    stack.pop().ok_or_else(|| LexError::new(format!("unexpected closing delimiter: `{}`", c)))?;
                let delimiter = match (open, c) {
                    ('(', ')') => Delimiter::Parenthesis,
                    ('[', ']') => Delimiter::Bracket,
                    ('{', '}') => Delimiter::Brace,
                    _ => return Err(LexError::new(format!("mismatched closing delimiter: `{}`", c))),
                };
                let inner = std::mem::replace(&mut trees, outer);
                trees.push(Group::new(delimiter, inner.into_iter().collect()).into());
            }
            Raw::Punct(c) => {
                let joint =
                    matches!(tokens.get(i + 1), Some(Token { raw: Raw::Punct(_), start, .. }) if *start == token.end);
                trees.push(Punct::new(*c, if joint { Spacing::Joint } else { Spacing::Alone }).into());
            }
            Raw::Ident { name, is_raw } => trees.push(Ident::unchecked(name, *is_raw, Span::call_site()).into()),
            Raw::Lifetime(name) => {
                trees.push(Punct::new('\'', Spacing::Joint).into());
                trees.push(Ident::unchecked(name, false, Span::call_site()).into());
            }
            Raw::Literal(_) => trees.push(Literal::from_text(&src[token.start..token.end]).into()),
            Raw::Doc { inner, text } => doc_attribute(*inner, text, &mut trees),
        }
    }
    if let Some((open, _)) = stack.last() {
        return Err(LexError::new(format!("unclosed delimiter: `{}`", open)));
    }
    Ok(trees.into_iter().collect())
}

/// Parses a literal: exactly one literal token, with nothing around it but
/// an optional `-` right before a number.
pub(crate) fn parse_literal(src: &str) -> Result<Literal, LexError> {
    let bad = || LexError::new(format!("not a single literal: {:?}", src));
    let mut scanner = Scanner::new(src);
    let mut first = scanner.next_token().map_err(LexError::new)?.ok_or_else(bad)?;
    let negative = matches!(first.raw, Raw::Punct('-'));
    if negative {
        first = scanner.next_token().map_err(LexError::new)?.ok_or_else(bad)?;
    }
    match first.raw {
        Raw::Literal(lit)
            if first.start == negative as usize
                && first.end == src.len()
                && (!negative || matches!(lit.kind, LitKind::Integer | LitKind::Float)) =>
        {
            Ok(Literal::from_text(src))
        }
        _ => Err(bad()),
    }
}

fn tokens(src: &str) -> Result<Vec<Token<'_>>, LexError> {
    let mut scanner = Scanner::new(src);
    let mut tokens = Vec::new();
    while let Some(token) = scanner.next_token().map_err(LexError::new)? {
        tokens.push(token);
    }
    Ok(tokens)
}

/// `#[doc = "text"]`, or `#![doc = "text"]` for an inner doc comment.
fn doc_attribute(inner: bool, text: &str, trees: &mut Vec<TokenTree>) {
    trees.push(Punct::new('#', Spacing::Alone).into());
    if inner {
        trees.push(Punct::new('!', Spacing::Alone).into());
    }
    let escaped: String = text.chars().flat_map(char::escape_debug).collect();
    let attr: Vec<TokenTree> = vec![
        Ident::unchecked("doc", false, Span::call_site()).into(),
        Punct::new('=', Spacing::Alone).into(),
        Literal::from_text(&format!("\"{}\"", escaped)).into(),
    ];
    trees.push(Group::new(Delimiter::Bracket, attr.into_iter().collect()).into());
}
