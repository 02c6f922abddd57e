//! Token streams to and from the wire's trees (guest side).

use crate::chars::{can_be_raw, is_ident, is_punct};
use crate::wire::{self, InputGroup, OutputGroup, Tree};
use crate::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

/// The limits a request's trees must respect.
pub(crate) struct Limits {
    pub span_count: u32,
    pub group_count: u32,
}

impl Limits {
    fn span(&self, id: u32) -> Result<Span, String> {
        if id < self.span_count {
            Ok(Span(id))
        } else {
            Err(format!("span id {} is not below the span count {}", id, self.span_count))
        }
    }
}

/// The stream a request carries, with its ids checked.
pub(crate) fn from_wire(stream: Vec<Tree<InputGroup>>, limits: &Limits) -> Result<TokenStream, String> {
    stream.into_iter().map(|tree| tree_from_wire(tree, limits)).collect()
}

fn tree_from_wire(tree: Tree<InputGroup>, limits: &Limits) -> Result<TokenTree, String> {
    Ok(match tree {
        Tree::Group(g) => {
            if g.index >= limits.group_count {
                return Err(format!("group index {} is not below the group count {}", g.index, limits.group_count));
            }
            TokenTree::Group(Group {
                delimiter: match g.delimiter {
                    wire::Delimiter::Parenthesis => Delimiter::Parenthesis,
                    wire::Delimiter::Brace => Delimiter::Brace,
                    wire::Delimiter::Bracket => Delimiter::Bracket,
                    wire::Delimiter::None => Delimiter::None,
                },
                stream: from_wire(g.stream, limits)?,
                span: limits.span(g.span)?,
                span_open: limits.span(g.span_open)?,
                span_close: limits.span(g.span_close)?,
                input: Some(g.index),
            })
        }
        Tree::Ident { span, is_raw, name } => {
            if !is_ident(&name) || (is_raw && !can_be_raw(&name)) {
                return Err(format!("bad identifier {:?}", name));
            }
            TokenTree::Ident(Ident::unchecked(&name, is_raw, limits.span(span)?))
        }
        Tree::Punct { span, ch, joint } => {
            if !is_punct(ch) {
                return Err(format!("bad punctuation {:?}", ch));
            }
            let spacing = if joint { Spacing::Joint } else { Spacing::Alone };
            TokenTree::Punct(Punct { ch, spacing, span: limits.span(span)? })
        }
        Tree::Literal { span, text } => {
            let mut literal: Literal = text.parse().map_err(|_| format!("bad literal {:?}", text))?;
            literal.span = limits.span(span)?;
            TokenTree::Literal(literal)
        }
    })
}

/// The stream for a response: unchanged input groups by index.
pub(crate) fn to_wire(stream: &TokenStream) -> Vec<Tree<OutputGroup>> {
    stream.trees().iter().map(tree_to_wire).collect()
}

fn tree_to_wire(tree: &TokenTree) -> Tree<OutputGroup> {
    match tree {
        TokenTree::Group(g) => Tree::Group(match g.input {
            Some(index) => OutputGroup::Input(index),
            None => OutputGroup::New {
                delimiter: match g.delimiter {
                    Delimiter::Parenthesis => wire::Delimiter::Parenthesis,
                    Delimiter::Brace => wire::Delimiter::Brace,
                    Delimiter::Bracket => wire::Delimiter::Bracket,
                    Delimiter::None => wire::Delimiter::None,
                },
                span: g.span.0,
                stream: to_wire(&g.stream),
            },
        }),
        TokenTree::Ident(i) => Tree::Ident { span: i.span.0, is_raw: i.is_raw, name: i.name.to_string() },
        TokenTree::Punct(p) => Tree::Punct { span: p.span.0, ch: p.ch, joint: p.spacing == Spacing::Joint },
        TokenTree::Literal(l) => Tree::Literal { span: l.span.0, text: l.text.to_string() },
    }
}
