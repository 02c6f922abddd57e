//! `TokenStream::to_string`, as rustc 1.63 prints token streams.
//!
//! rustc keeps operators as whole tokens: a `Joint` punctuation character
//! is glued to the next one when the two make an operator (`-` `>` is `->`,
//! `'` and an identifier a lifetime), a negative number is `-` and the
//! number. Between two tokens it puts a space except after `.` and `$`,
//! before `,`, `.` and `!`, between an identifier and `(`, and between `#`
//! and `[`. A brace group is `{ ... }` in a consistent box; the pretty
//! printer breaks lines that go past the margin.

use crate::pp::Printer;
use crate::{Delimiter, Group, Spacing, TokenTree};
use std::borrow::Cow;

/// What the spacing rules need to know of a token.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Ident,
    Dot,
    Dollar,
    Comma,
    Not,
    Pound,
    Other,
}

/// A printed token tree: a whole token or a group.
enum Item<'a> {
    Token(Cow<'a, str>, Kind),
    Group(&'a Group),
}

/// A tree with negative numbers split into `-` and the number.
enum Atom<'a> {
    Punct(char, Spacing),
    Word(&'a str, Kind),
    Ident { name: &'a str, is_raw: bool },
    Group(&'a Group),
}

/// The text of a stream.
pub(crate) fn trees_to_string(trees: &[TokenTree]) -> String {
    let mut p = Printer::new();
    print_trees(&mut p, trees);
    p.finish()
}

fn print_trees<'a>(p: &mut Printer<'a>, trees: &'a [TokenTree]) {
    let items = glue(atoms(trees));
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Token(text, _) => p.word(text.clone()),
            Item::Group(g) => print_group(p, g),
        }
        if let Some(next) = items.get(i + 1) {
            if space_between(item, next) {
                p.space();
            }
        }
    }
}

fn print_group<'a>(p: &mut Printer<'a>, g: &'a Group) {
    let trees = g.stream.trees();
    let (open, close) = match g.delimiter {
        Delimiter::Brace => {
            p.cbox(4);
            p.word("{");
            if !trees.is_empty() {
                p.space();
            }
            p.ibox(0);
            print_trees(p, trees);
            p.end();
            if !trees.is_empty() {
                p.break_offset(1, -4);
            }
            p.word("}");
            p.end();
            return;
        }
        Delimiter::Parenthesis => ("(", ")"),
        Delimiter::Bracket => ("[", "]"),
        Delimiter::None => ("", ""),
    };
    p.word(open);
    p.ibox(0);
    print_trees(p, trees);
    p.end();
    p.word(close);
}

/// rustc's `tt_prepend_space`: is there a space between `prev` and `next`?
fn space_between(prev: &Item, next: &Item) -> bool {
    let prev_kind = match prev {
        Item::Token(_, kind) => Some(*kind),
        Item::Group(_) => None,
    };
    if matches!(prev_kind, Some(Kind::Dot | Kind::Dollar)) {
        return false;
    }
    match next {
        Item::Token(_, kind) => !matches!(kind, Kind::Comma | Kind::Not | Kind::Dot),
        Item::Group(g) => match g.delimiter {
            Delimiter::Parenthesis => prev_kind != Some(Kind::Ident),
            Delimiter::Bracket => prev_kind != Some(Kind::Pound),
            Delimiter::Brace | Delimiter::None => true,
        },
    }
}

fn atoms(trees: &[TokenTree]) -> Vec<Atom<'_>> {
    let mut atoms = Vec::with_capacity(trees.len());
    for tree in trees {
        match tree {
            TokenTree::Group(g) => atoms.push(Atom::Group(g)),
            TokenTree::Ident(i) => atoms.push(Atom::Ident { name: &i.name, is_raw: i.is_raw }),
            TokenTree::Punct(p) => atoms.push(Atom::Punct(p.ch, p.spacing)),
            TokenTree::Literal(l) => match l.negated() {
                Some(number) => {
                    atoms.push(Atom::Punct('-', Spacing::Alone));
                    atoms.push(Atom::Word(number, Kind::Other));
                }
                None => atoms.push(Atom::Word(&l.text, Kind::Other)),
            },
        }
    }
    atoms
}

/// Glues joint punctuation into operators, left to right, as far as it goes.
fn glue(atoms: Vec<Atom<'_>>) -> Vec<Item<'_>> {
    let mut items = Vec::with_capacity(atoms.len());
    let mut atoms = atoms.into_iter().peekable();
    while let Some(atom) = atoms.next() {
        let (ch, mut spacing) = match atom {
            Atom::Punct(ch, spacing) => (ch, spacing),
            Atom::Word(text, kind) => {
                items.push(Item::Token(Cow::Borrowed(text), kind));
                continue;
            }
            Atom::Ident { name, is_raw } => {
                let text = if is_raw { Cow::Owned(format!("r#{}", name)) } else { Cow::Borrowed(name) };
                items.push(Item::Token(text, Kind::Ident));
                continue;
            }
            Atom::Group(g) => {
                items.push(Item::Group(g));
                continue;
            }
        };
        let mut op = ch.to_string();
        while spacing == Spacing::Joint {
            match atoms.peek() {
                Some(&Atom::Punct(next, next_spacing)) if glues(&op, next) => {
                    op.push(next);
                    spacing = next_spacing;
                    atoms.next();
                }
                Some(&Atom::Ident { name, is_raw: false }) if op == "'" => {
                    op.push_str(name);
                    atoms.next();
                    break;
                }
                _ => break,
            }
        }
        let kind = match op.as_str() {
            "." => Kind::Dot,
            "$" => Kind::Dollar,
            "," => Kind::Comma,
            "!" => Kind::Not,
            "#" => Kind::Pound,
            _ => Kind::Other,
        };
        items.push(Item::Token(Cow::Owned(op), kind));
    }
    items
}

/// Does operator `op` followed by `next` make one operator (rustc's `Token::glue`)?
fn glues(op: &str, next: char) -> bool {
    match op {
        "=" => matches!(next, '=' | '>'),
        "<" => matches!(next, '=' | '<' | '-'),
        ">" => matches!(next, '=' | '>'),
        "!" => next == '=',
        "-" => matches!(next, '=' | '>'),
        "&" => matches!(next, '=' | '&'),
        "|" => matches!(next, '=' | '|'),
        "+" | "*" | "/" | "%" | "^" | "<<" | ">>" => next == '=',
        "." => next == '.',
        ".." => matches!(next, '.' | '='),
        ":" => next == ':',
        _ => false,
    }
}
