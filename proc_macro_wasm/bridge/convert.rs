//! Token streams to and from the wire's trees (host side), with the tables
//! that map span ids and group indices back to rustc's own spans and groups.

use crate::wire::{self, InputGroup, NewSpan, OutputGroup, SpanOp, Tree};
use proc_macro::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use std::str::FromStr;

/// The spans and input groups of one expansion.
pub(crate) struct Tables {
    /// Id to span: 0 call site, 1 mixed site, then the input's spans.
    spans: Vec<Span>,
    /// The input groups, in preorder.
    groups: Vec<Group>,
}

impl Tables {
    pub(crate) fn new() -> Tables {
        Tables { spans: vec![Span::call_site(), Span::mixed_site()], groups: Vec::new() }
    }

    pub(crate) fn span_count(&self) -> usize {
        self.spans.len()
    }

    pub(crate) fn group_count(&self) -> usize {
        self.groups.len()
    }

    fn span_id(&mut self, span: Span) -> u32 {
        self.spans.push(span);
        wire::len_u32(self.spans.len() - 1)
    }

    /// The trees of an input stream, recording its spans and groups.
    pub(crate) fn encode(&mut self, stream: TokenStream) -> Vec<Tree<InputGroup>> {
        stream.into_iter().map(|tree| self.encode_tree(tree)).collect()
    }

    fn encode_tree(&mut self, tree: TokenTree) -> Tree<InputGroup> {
        match tree {
            TokenTree::Group(g) => {
                let index = wire::len_u32(self.groups.len());
                self.groups.push(g.clone());
                let delimiter = match g.delimiter() {
                    Delimiter::Parenthesis => wire::Delimiter::Parenthesis,
                    Delimiter::Brace => wire::Delimiter::Brace,
                    Delimiter::Bracket => wire::Delimiter::Bracket,
                    Delimiter::None => wire::Delimiter::None,
                };
                let span = self.span_id(g.span());
                let span_open = self.span_id(g.span_open());
                let span_close = self.span_id(g.span_close());
                let stream = self.encode(g.stream());
                Tree::Group(InputGroup { delimiter, span, span_open, span_close, index, stream })
            }
            TokenTree::Ident(i) => {
                let text = i.to_string();
                let (is_raw, name) = match text.strip_prefix("r#") {
                    Some(name) => (true, name.to_string()),
                    None => (false, text),
                };
                Tree::Ident { span: self.span_id(i.span()), is_raw, name }
            }
            TokenTree::Punct(p) => {
                Tree::Punct { span: self.span_id(p.span()), ch: p.as_char(), joint: p.spacing() == Spacing::Joint }
            }
            TokenTree::Literal(l) => Tree::Literal { span: self.span_id(l.span()), text: l.to_string() },
        }
    }

    /// The output stream, from the guest's trees and the spans it derived.
    pub(crate) fn rebuild(
        mut self,
        new_spans: &[NewSpan],
        stream: Vec<Tree<OutputGroup>>,
    ) -> Result<TokenStream, String> {
        for new in new_spans {
            let a = self.span(new.a)?;
            let b = self.span(new.b)?;
            self.spans.push(match new.op {
                SpanOp::ResolvedAt => a.resolved_at(b),
                SpanOp::LocatedAt => a.located_at(b),
                // Stable rustc cannot join spans.
                SpanOp::Join => a,
            });
        }
        self.rebuild_stream(stream)
    }

    fn span(&self, id: u32) -> Result<Span, String> {
        self.spans
            .get(id as usize)
            .copied()
            .ok_or_else(|| format!("the response names span id {}, which was never defined", id))
    }

    fn rebuild_stream(&self, stream: Vec<Tree<OutputGroup>>) -> Result<TokenStream, String> {
        stream.into_iter().map(|tree| self.rebuild_tree(tree)).collect()
    }

    fn rebuild_tree(&self, tree: Tree<OutputGroup>) -> Result<TokenTree, String> {
        Ok(match tree {
            Tree::Group(OutputGroup::Input(index)) => {
                let g = self.groups.get(index as usize);
                TokenTree::Group(
                    g.cloned()
                        .ok_or_else(|| format!("the response names input group {}, which does not exist", index))?,
                )
            }
            Tree::Group(OutputGroup::New { delimiter, span, stream }) => {
                let delimiter = match delimiter {
                    wire::Delimiter::Parenthesis => Delimiter::Parenthesis,
                    wire::Delimiter::Brace => Delimiter::Brace,
                    wire::Delimiter::Bracket => Delimiter::Bracket,
                    wire::Delimiter::None => Delimiter::None,
                };
                let mut g = Group::new(delimiter, self.rebuild_stream(stream)?);
                g.set_span(self.span(span)?);
                TokenTree::Group(g)
            }
            Tree::Ident { span, is_raw: false, name } => TokenTree::Ident(Ident::new(&name, self.span(span)?)),
            Tree::Ident { span, is_raw: true, name } => TokenTree::Ident(Ident::new_raw(&name, self.span(span)?)),
            Tree::Punct { span, ch, joint } => {
                let mut p = Punct::new(ch, if joint { Spacing::Joint } else { Spacing::Alone });
                p.set_span(self.span(span)?);
                TokenTree::Punct(p)
            }
            Tree::Literal { span, text } => {
                let mut l =
                    Literal::from_str(&text).map_err(|_| format!("the response has a bad literal: {}", text))?;
                l.set_span(self.span(span)?);
                TokenTree::Literal(l)
            }
        })
    }
}
