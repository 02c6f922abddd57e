//! `TokenStream::from_str`: what it refuses, and what `print_cases.txt`
//! does not show (spans, CRLF).

use super::{parse, trees_text};
use crate::{TokenStream, TokenTree};

#[test]
fn refuses_what_rustc_reports() {
    let bad = [
        "(",
        ")",
        "(]",
        "{)",
        "a [ b",
        "'",
        "\"x",
        "/* a /* b */",
        "\\",
        "`",
        "€",
        "r#_",
        "r#crate",
        "r#self",
        "r#Self",
        "r#super",
        "a'",
        "c\"x\"",
        "rb\"x\"",
        "'1a",
        "\"\\q\"",
        "'\\u{110000}'",
        "'\\u{D800}'",
        "'\\u{}'",
        "'\\u{1234567}'",
        "'\\x80'",
        "b'é'",
        "b\"é\"",
        "br\"é\"",
        "'ab'",
        "''",
        "0x",
        "0b",
        "1e",
        "1.5e+",
        "0b12",
        "0o8",
        "0x1.5",
        "r#1",
        "r##x\"\"##",
        "r\"unterminated",
        "b'x",
        "'\\n",
    ];
    for src in bad {
        assert!(src.parse::<TokenStream>().is_err(), "{:?} lexed", src);
    }
}

#[test]
fn lex_error_prints_as_rustc() {
    let e = "(".parse::<TokenStream>().unwrap_err();
    assert_eq!(e.to_string(), "cannot parse string into token stream");
    assert!(format!("{:?}", e).contains("unclosed delimiter"));
}

#[test]
fn accepts_what_rustc_accepts() {
    for src in [
        "",
        "  \n\t",
        "// only a comment",
        "/* only */",
        "'r#a",
        "r#match",
        "x/**/y",
        "1u8.0",
        "'\\u{1_0FFFF}'",
        "\"a\\\n   b\"",
    ] {
        assert!(src.parse::<TokenStream>().is_ok(), "{:?} did not lex", src);
    }
}

#[test]
fn every_token_is_at_the_call_site() {
    fn check(stream: TokenStream) {
        for tree in stream {
            assert_eq!(tree.span().0, 0);
            if let TokenTree::Group(g) = tree {
                assert_eq!((g.span_open().0, g.span_close().0), (0, 0));
                check(g.stream());
            }
        }
    }
    check(parse("/// doc\nfn f<'a>(x: &'a [u8]) -> u8 { x[0] + 1 }"));
}

#[test]
fn crlf_is_lf() {
    assert_eq!(parse("///x\r\ny").to_string(), "#[doc = \"x\"] y");
    assert_eq!(trees_text(parse("\"a\r\nb\"")), "L\"a\nb\"\n");
}

#[test]
fn groups_nest() {
    let stream = parse("a (b [c {d}]) e");
    assert_eq!(trees_text(stream), "Ia\nG(\nIb\nG[\nIc\nG{\nId\nE\nE\nE\nIe\n");
}

#[test]
fn deep_nesting_within_the_wire_limit_works() {
    let depth = crate::wire::MAX_DEPTH;
    let src = format!("{}x{}", "(".repeat(depth), ")".repeat(depth));
    let stream = parse(&src);
    assert_eq!(stream.to_string(), src);
    assert_eq!(crate::convert::to_wire(&stream).len(), 1);
}
