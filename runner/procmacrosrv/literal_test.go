package procmacrosrv

import "testing"

func TestLiteralRoundTrip(t *testing.T) {
	for _, c := range []struct {
		text, symbol string
		kind         uint32
		suffix       string
	}{
		{`"a\n\"b\""`, `a\n\"b\"`, litStr, ""},
		{`r"x"`, "x", litStrRaw, ""},
		{`r##"a"#b"##`, `a"#b`, litStrRaw | 2<<8, ""},
		{`b'a'`, "a", litByte, ""},
		{`'\''`, `\'`, litChar, ""},
		{`b"bytes"`, "bytes", litByteStr, ""},
		{`br#"raw"#`, "raw", litByteStrRaw | 1<<8, ""},
		{`c"nul"`, "nul", litCStr, ""},
		{`cr"x"`, "x", litCStrRaw, ""},
		{"7u8", "7", litInteger, "u8"},
		{"0x1Fu16", "0x1F", litInteger, "u16"},
		{"0b1010_1010", "0b1010_1010", litInteger, ""},
		{"0o17i64", "0o17", litInteger, "i64"},
		{"-3", "-3", litInteger, ""},
		{"1.5f64", "1.5", litFloat, "f64"},
		{"1e3", "1e3", litFloat, ""},
		{"2.5E-7f32", "2.5E-7", litFloat, "f32"},
		{"1.", "1.", litFloat, ""},
		{"1f32", "1", litInteger, "f32"},
	} {
		sym, kind, suffix, err := splitLiteral(c.text)
		if err != nil || sym != c.symbol || kind != c.kind || suffix != c.suffix {
			t.Errorf("splitLiteral(%s) = %q, %#x, %q, %v; want %q, %#x, %q", c.text, sym, kind, suffix, err, c.symbol, c.kind, c.suffix)
			continue
		}
		back, err := literalText(sym, kind, suffix)
		if err != nil || back != c.text {
			t.Errorf("literalText(%q, %#x, %q) = %q, %v; want %s", sym, kind, suffix, back, err, c.text)
		}
	}
}

func TestSplitLiteralRejects(t *testing.T) {
	for _, text := range []string{"", "-", "abc", `"open`, `r#"open"`, `'`, "x1"} {
		if sym, kind, suffix, err := splitLiteral(text); err == nil {
			t.Errorf("splitLiteral(%q) = %q, %#x, %q; want an error", text, sym, kind, suffix)
		}
	}
}

func TestLiteralTextRejectsBadKinds(t *testing.T) {
	for _, kind := range []uint32{11, 0xff, litStr | 1<<8, litInteger | 3<<8, 0x10006} {
		if got, err := literalText("x", kind, ""); err == nil {
			t.Errorf("literalText kind %#x = %q; want an error", kind, got)
		}
	}
}
