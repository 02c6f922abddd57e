//! `Literal`: constructors, `from_str` and `Debug`, against rustc 1.63.

use crate::Literal;

#[test]
fn constructors_print_as_rustc() {
    let cases = [
        (Literal::u8_suffixed(1), "1u8"),
        (Literal::u128_unsuffixed(u128::MAX), "340282366920938463463374607431768211455"),
        (Literal::i128_suffixed(i128::MIN), "-170141183460469231731687303715884105728i128"),
        (Literal::isize_unsuffixed(-3), "-3"),
        (Literal::usize_suffixed(5), "5usize"),
        (Literal::u16_suffixed(7), "7u16"),
        (Literal::i8_unsuffixed(-8), "-8"),
        (Literal::f32_unsuffixed(1.0), "1.0"),
        (Literal::f32_suffixed(1.0), "1f32"),
        (Literal::f64_unsuffixed(1e20), "100000000000000000000.0"),
        (Literal::f64_unsuffixed(1e-7), "0.0000001"),
        (Literal::f64_unsuffixed(0.1), "0.1"),
        (Literal::f32_unsuffixed(-0.0), "-0.0"),
        (Literal::f32_unsuffixed(f32::MAX), "340282350000000000000000000000000000000.0"),
        (Literal::f64_suffixed(-2.5), "-2.5f64"),
        (
            Literal::string("a\"b\\c\n\t\r\0\u{7f}é\u{200b}\u{301}'"),
            "\"a\\\"b\\\\c\\n\\t\\r\\0\\u{7f}é\\u{200b}\\u{301}'\"",
        ),
        (Literal::character('\''), "'\\''"),
        (Literal::character('"'), "'\"'"),
        (Literal::character('\u{301}'), "'\\u{301}'"),
        (Literal::character('\n'), "'\\n'"),
        (Literal::byte_string(b"\x00\xff\"'\\a\n"), "b\"\\x00\\xff\\\"\\'\\\\a\\n\""),
        // As rustc 1.96's proc_macro writes them (library/proc_macro/src/escape.rs).
        (Literal::byte_character(b'a'), "b'a'"),
        (Literal::byte_character(b'\''), "b'\\''"),
        (Literal::byte_character(b'"'), "b'\"'"),
        (Literal::byte_character(0), "b'\\0'"),
        (Literal::byte_character(0xff), "b'\\xff'"),
        (Literal::byte_character(b'\n'), "b'\\n'"),
        (
            Literal::c_string(std::ffi::CStr::from_bytes_with_nul(b"a'\"\xff\n\x01\xc3\xa9\xcc\x81z\0").unwrap()),
            "c\"a'\\\"\\xff\\n\\u{1}é\\u{301}z\"",
        ),
    ];
    for (literal, text) in cases {
        assert_eq!(literal.to_string(), text);
    }
}

#[test]
#[should_panic(expected = "Invalid float literal inf")]
fn infinite_floats_panic() {
    Literal::f64_unsuffixed(f64::INFINITY);
}

#[test]
#[should_panic(expected = "Invalid float literal NaN")]
fn nan_floats_panic() {
    Literal::f32_suffixed(f32::NAN);
}

#[test]
fn from_str_takes_exactly_one_literal() {
    // What rustc 1.63 accepts, printed back unchanged.
    for ok in [
        "1",
        "-1",
        "-1.5e3f32",
        "\"x\"",
        "'a'",
        "b'x'",
        "r#\"q\"#",
        "1x",
        "0b101u8",
        "1.",
        "0x1e3",
        "\"s\"suffix",
        "br##\"a\"#\"##",
    ] {
        let literal: Literal = ok.parse().unwrap_or_else(|e| panic!("{:?}: {:?}", ok, e));
        assert_eq!(literal.to_string(), ok);
    }
    // What it refuses. (It also reports "1e" and "'ab'" as errors, but returns a literal.)
    for bad in [
        "- 1", "-\"x\"", "true", "1 ", " 1", "1/*c*/", "-'a'", "1 2", "", "1.e3", "--1", "-/**/1", "1.0.0", "1e",
        "'ab'", "x", "-", "(1)",
    ] {
        assert!(bad.parse::<Literal>().is_err(), "{:?} parsed", bad);
    }
}

#[test]
fn debug_names_kind_symbol_and_suffix() {
    let debug = |text: &str| format!("{:?}", text.parse::<Literal>().unwrap());
    assert_eq!(debug("-1u8"), "Literal { kind: Integer, symbol: \"-1\", suffix: Some(\"u8\"), span: #0 }");
    assert_eq!(debug("2.5e3"), "Literal { kind: Float, symbol: \"2.5e3\", suffix: None, span: #0 }");
    assert_eq!(debug("r##\"a\"#\"##"), "Literal { kind: StrRaw(2), symbol: \"a\\\"#\", suffix: None, span: #0 }");
    assert_eq!(debug("br\"x\""), "Literal { kind: ByteStrRaw(0), symbol: \"x\", suffix: None, span: #0 }");
    assert_eq!(debug("b'\\n'"), "Literal { kind: Byte, symbol: \"\\\\n\", suffix: None, span: #0 }");
    assert_eq!(debug("'c'x"), "Literal { kind: Char, symbol: \"c\", suffix: Some(\"x\"), span: #0 }");
    assert_eq!(debug("b\"\\x7f\""), "Literal { kind: ByteStr, symbol: \"\\\\x7f\", suffix: None, span: #0 }");
}

#[test]
fn subspan_is_none() {
    assert!(Literal::u8_unsuffixed(10).subspan(0..1).is_none());
}
