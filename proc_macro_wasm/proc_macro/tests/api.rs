//! The API's behaviour apart from printing: spans, groups, identifiers,
//! punctuation, streams, and the conversion to and from the wire.

use super::parse;
use crate::convert::{from_wire, to_wire, Limits};
use crate::wire::{self, InputGroup, NewSpan, OutputGroup, SpanOp, Tree};
use crate::{span, Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

#[test]
fn derived_spans_get_new_ids_once() {
    span::reset(5);
    let (a, b) = (Span(3), Span(4));
    assert_eq!((Span::call_site().0, Span::mixed_site().0), (0, 1));
    let r = a.resolved_at(b);
    let l = a.located_at(b);
    let j = a.join(b).unwrap();
    assert_eq!((r.0, l.0, j.0), (5, 6, 7));
    assert_eq!(a.resolved_at(b).0, 5, "the same derivation is the same id");
    assert_eq!(j.located_at(r).0, 8);
    assert_eq!(
        span::derived(),
        vec![
            NewSpan { op: SpanOp::ResolvedAt, a: 3, b: 4 },
            NewSpan { op: SpanOp::LocatedAt, a: 3, b: 4 },
            NewSpan { op: SpanOp::Join, a: 3, b: 4 },
            NewSpan { op: SpanOp::LocatedAt, a: 7, b: 5 },
        ]
    );
    assert_eq!(a.source_text(), None);
    span::reset(2);
    assert!(span::derived().is_empty());
}

#[test]
fn group_spans() {
    let mut g = Group::new(Delimiter::Brace, parse("x"));
    assert_eq!((g.span().0, g.span_open().0, g.span_close().0), (0, 0, 0));
    g.set_span(Span::mixed_site());
    assert_eq!((g.span().0, g.span_open().0, g.span_close().0), (1, 1, 1));
    let mut t = TokenTree::from(g);
    t.set_span(Span::call_site());
    assert_eq!(t.span().0, 0);
}

#[test]
#[should_panic(expected = "`\"a-b\"` is not a valid identifier")]
fn bad_identifiers_panic() {
    Ident::new("a-b", Span::call_site());
}

#[test]
fn identifiers() {
    for bad in ["", "1a", "r#x", "'a", "a b", "é-"] {
        assert!(std::panic::catch_unwind(|| Ident::new(bad, Span::call_site())).is_err(), "{:?}", bad);
    }
    for good in ["a", "_", "self", "r", "é", "x_1", "Straße"] {
        assert_eq!(Ident::new(good, Span::call_site()).to_string(), good);
    }
    for not_raw in ["_", "crate", "self", "Self", "super"] {
        assert!(std::panic::catch_unwind(|| Ident::new_raw(not_raw, Span::call_site())).is_err(), "{:?}", not_raw);
    }
    let mut i = Ident::new_raw("async", Span::call_site());
    i.set_span(Span::mixed_site());
    assert_eq!((i.to_string(), i.span().0), ("r#async".to_string(), 1));
}

#[test]
fn punctuation() {
    let p = Punct::new('+', Spacing::Joint);
    assert!(p == '+' && '+' == p && p != '-');
    assert_eq!((p.as_char(), p.spacing()), ('+', Spacing::Joint));
    assert!(std::panic::catch_unwind(|| Punct::new('a', Spacing::Alone)).is_err());
    assert!(std::panic::catch_unwind(|| Punct::new('(', Spacing::Alone)).is_err());
}

#[test]
fn streams() {
    let mut s = TokenStream::new();
    assert!(s.is_empty() && TokenStream::default().is_empty());
    s.extend(vec![parse("a b"), TokenStream::new(), parse("c")]);
    s.extend(parse("d").into_iter());
    assert_eq!(s.to_string(), "a b c d");
    let shared = s.clone();
    s.extend(vec![TokenTree::from(Literal::u8_unsuffixed(1))]);
    assert_eq!((shared.to_string(), s.to_string()), ("a b c d".to_string(), "a b c d 1".to_string()));
    let joined: TokenStream = vec![parse("x"), parse("y")].into_iter().collect();
    assert_eq!(joined.to_string(), "x y");
    let mut iter = joined.into_iter();
    let copy = iter.clone();
    assert_eq!(iter.size_hint(), (2, Some(2)));
    iter.next();
    assert_eq!((iter.count(), copy.count()), (1, 2));
}

#[test]
fn not_available_outside_an_expansion() {
    assert!(!crate::is_available());
}

fn input_group(index: u32, span: u32, stream: Vec<Tree<InputGroup>>) -> Tree<InputGroup> {
    Tree::Group(InputGroup {
        delimiter: wire::Delimiter::Brace,
        span,
        span_open: span + 1,
        span_close: span + 2,
        index,
        stream,
    })
}

#[test]
fn unchanged_input_groups_go_back_by_index() {
    let limits = Limits { span_count: 10, group_count: 2 };
    let input = vec![
        Tree::Ident { span: 2, is_raw: true, name: "type".to_string() },
        input_group(0, 3, vec![Tree::Punct { span: 6, ch: '+', joint: true }]),
        input_group(1, 7, vec![Tree::Literal { span: 9, text: "1u8".to_string() }]),
    ];
    let stream = from_wire(input, &limits).unwrap();
    assert_eq!(stream.to_string(), "r#type { + } { 1u8 }");
    let mut trees: Vec<TokenTree> = stream.into_iter().collect();
    if let TokenTree::Group(g) = &mut trees[2] {
        assert_eq!((g.span().0, g.span_open().0, g.span_close().0), (7, 8, 9));
        g.set_span(Span(8));
    }
    let back = to_wire(&trees.into_iter().collect());
    assert_eq!(
        back,
        vec![
            Tree::Ident { span: 2, is_raw: true, name: "type".to_string() },
            Tree::Group(OutputGroup::Input(0)),
            Tree::Group(OutputGroup::New {
                delimiter: wire::Delimiter::Brace,
                span: 8,
                stream: vec![Tree::Literal { span: 9, text: "1u8".to_string() }],
            }),
        ]
    );
}

#[test]
fn requests_with_bad_trees_are_refused() {
    let limits = Limits { span_count: 3, group_count: 1 };
    let ident = |span, is_raw, name: &str| Tree::Ident { span, is_raw, name: name.to_string() };
    let bad = [
        vec![ident(3, false, "a")],
        vec![ident(0, false, "1a")],
        vec![ident(0, true, "self")],
        vec![Tree::Punct { span: 0, ch: 'x', joint: false }],
        vec![Tree::Literal { span: 0, text: "x y".to_string() }],
        vec![input_group(1, 0, vec![])],
        vec![input_group(0, 1, vec![])],
    ];
    for stream in bad {
        assert!(from_wire(stream.clone(), &limits).is_err(), "{:?}", stream);
    }
}

#[test]
fn span_locations_fail_naming_the_call() {
    let span = Span::call_site();
    let calls: [(&str, fn(&Span)); 7] = [
        ("start", |s| {
            let _ = s.start();
        }),
        ("end", |s| {
            let _ = s.end();
        }),
        ("line", |s| {
            let _ = s.line();
        }),
        ("column", |s| {
            let _ = s.column();
        }),
        ("file", |s| {
            let _ = s.file();
        }),
        ("local_file", |s| {
            let _ = s.local_file();
        }),
        ("byte_range", |s| {
            let _ = s.byte_range();
        }),
    ];
    for (name, call) in calls {
        let err = std::panic::catch_unwind(|| call(&span)).expect_err(name);
        let msg = err.downcast_ref::<String>().expect("a formatted message");
        assert!(msg.starts_with(&format!("proc_macro::Span::{}: ", name)), "{}", msg);
        assert!(msg.contains("not given source locations"), "{}", msg);
    }
}
