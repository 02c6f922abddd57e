//! `to_string` of streams built tree by tree, and `Debug`. The expected texts
//! are what rustc 1.63 prints for the same calls (recorded with a native
//! proc macro making them).

use crate::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};

fn p(ch: char, joint: bool) -> TokenTree {
    Punct::new(ch, if joint { Spacing::Joint } else { Spacing::Alone }).into()
}

fn i(name: &str) -> TokenTree {
    Ident::new(name, Span::call_site()).into()
}

fn s(trees: Vec<TokenTree>) -> String {
    trees.into_iter().collect::<TokenStream>().to_string()
}

#[test]
fn joint_punctuation_is_glued() {
    assert_eq!(s(vec![i("a"), p('-', true), p('>', false), i("b")]), "a -> b");
    assert_eq!(s(vec![i("a"), p('-', false), p('>', false), i("b")]), "a - > b");
    assert_eq!(s(vec![p('-', true), i("b")]), "- b");
    assert_eq!(s(vec![p('&', true), p('&', true), p('&', false), i("b")]), "&& & b");
    assert_eq!(s(vec![p('=', true), p('=', true), p('=', false)]), "== =");
    assert_eq!(s(vec![p('.', true), p('.', true), p('.', true), p('=', false)]), "... =");
    assert_eq!(
        s(vec![p('<', true), p('<', true), p('=', false), p('>', true), p('>', true), p('=', false)]),
        "<<= >>="
    );
}

#[test]
fn lifetimes_are_glued_when_joint() {
    assert_eq!(s(vec![p('&', false), p('\'', true), i("a"), i("T")]), "& 'a T");
    assert_eq!(s(vec![p('&', false), p('\'', false), i("a"), i("T")]), "& ' a T");
}

#[test]
fn negative_numbers_print_as_minus_and_number() {
    let trees = vec![i("x"), p('=', false), Literal::i32_unsuffixed(-1).into(), Literal::f64_suffixed(-2.5).into()];
    assert_eq!(s(trees), "x = - 1 - 2.5f64");
    assert_eq!(TokenStream::from(TokenTree::from(Literal::i32_suffixed(-7))).to_string(), "- 7i32");
    assert_eq!(Literal::i32_suffixed(-7).to_string(), "-7i32");
}

#[test]
fn raw_identifiers() {
    assert_eq!(s(vec![Ident::new_raw("type", Span::call_site()).into(), i("x")]), "r#type x");
    assert_eq!(Ident::new_raw("fn", Span::call_site()).to_string(), "r#fn");
    assert_eq!(TokenTree::from(Ident::new_raw("fn", Span::call_site())).to_string(), "r#fn");
}

#[test]
fn invisible_groups() {
    let inner: TokenStream = vec![i("b"), p('+', false), i("c")].into_iter().collect();
    assert_eq!(s(vec![i("a"), Group::new(Delimiter::None, inner).into(), i("d")]), "a b + c d");
    let b: TokenStream = vec![i("b")].into_iter().collect();
    let trees = vec![
        i("f"),
        Group::new(Delimiter::None, b).into(),
        Group::new(Delimiter::Parenthesis, TokenStream::new()).into(),
    ];
    assert_eq!(s(trees), "f b ()");
}

#[test]
fn streams_joined_by_extend_glue_at_the_seam() {
    let mut a: TokenStream = vec![i("a"), p('-', true)].into_iter().collect();
    a.extend(vec![TokenStream::from(p('>', false))]);
    assert_eq!(a.to_string(), "a ->");
    let mut b: TokenStream = vec![i("a"), p(':', true)].into_iter().collect();
    b.extend(vec![p(':', false), i("b")]);
    assert_eq!(b.to_string(), "a :: b");
    let c: TokenStream = vec![TokenStream::from(p(':', true)), TokenStream::from(p(':', false))].into_iter().collect();
    assert_eq!(c.to_string(), "::");
}

#[test]
fn single_trees() {
    let g = Group::new(Delimiter::Brace, vec![p('=', true), p('>', false)].into_iter().collect());
    assert_eq!(g.to_string(), "{ => }");
    assert_eq!(TokenStream::from(TokenTree::from(g)).to_string(), "{ => }");
    assert_eq!(Punct::new('\'', Spacing::Joint).to_string(), "'");
    assert_eq!(TokenStream::new().to_string(), "");
}

#[test]
fn debug_has_rustc_structure() {
    let stream: TokenStream = vec![
        i("a"),
        p('+', true),
        Literal::u8_suffixed(1).into(),
        Literal::string("x").into(),
        Group::new(Delimiter::Bracket, TokenStream::new()).into(),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        format!("{:?}", stream),
        "TokenStream [Ident { ident: \"a\", span: #0 }, Punct { ch: '+', spacing: Joint, span: #0 }, \
         Literal { kind: Integer, symbol: \"1\", suffix: Some(\"u8\"), span: #0 }, \
         Literal { kind: Str, symbol: \"x\", suffix: None, span: #0 }, \
         Group { delimiter: Bracket, stream: TokenStream [], span: #0 }]"
    );
    assert_eq!(format!("{:?}", Ident::new_raw("x", Span::mixed_site())), "Ident { ident: \"r#x\", span: #1 }");
    assert_eq!(format!("{:?} {:?}", Delimiter::None, Spacing::Joint), "None Joint");
}
