package macrobuild

import (
	"reflect"
	"strings"
	"testing"
)

func TestFormatDeclsText(t *testing.T) {
	decls := []Decl{
		{Kind: KindDerive, Name: "Serialize", Function: "derive_serialize", Attributes: []string{"serde"}},
		{Kind: KindDerive, Name: "Plain", Function: "plain"},
		{Kind: KindAttr, Name: "traced", Function: "traced"},
		{Kind: KindBang, Name: "match", Function: "r#match"},
	}
	want := "derive:Serialize:derive_serialize:serde\nderive:Plain:plain\nattr:traced:traced\nbang:match:r#match\n"
	if got := FormatDecls(decls); got != want {
		t.Fatalf("FormatDecls = %q, want %q", got, want)
	}
	if got := FormatDecls(nil); got != "" {
		t.Fatalf("FormatDecls(nil) = %q", got)
	}
}

func TestParseDeclsRoundTrip(t *testing.T) {
	for _, decls := range [][]Decl{
		nil,
		{{Kind: KindDerive, Name: "Error", Function: "derive_error", Attributes: []string{"backtrace", "error", "from", "source"}}},
		{
			{Kind: KindDerive, Name: "Serialize", Function: "derive_serialize", Attributes: []string{"serde"}},
			{Kind: KindDerive, Name: "Deserialize", Function: "derive_deserialize", Attributes: []string{"serde"}},
			{Kind: KindAttr, Name: "traced", Function: "traced"},
			{Kind: KindBang, Name: "sum", Function: "sum"},
			{Kind: KindBang, Name: "async", Function: "r#async"},
			{Kind: KindDerive, Name: "Größe", Function: "größe_ableiten", Attributes: []string{"maß"}},
		},
	} {
		text := FormatDecls(decls)
		got, err := ParseDecls(text)
		if err != nil {
			t.Fatalf("ParseDecls(%q): %v", text, err)
		}
		if len(decls) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, decls) {
			t.Fatalf("ParseDecls(FormatDecls(%v)) = %v", decls, got)
		}
	}
}

func TestParseDeclsRejects(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"derive:A:f", `line 1 "derive:A:f": the last line does not end in a newline`},
		{"\n", `line 1 "": empty line`},
		{"bang:a:a\n\nbang:b:b\n", `line 2 "": empty line`},
		{"macro:a:a\n", `line 1 "macro:a:a": unknown kind "macro" (want derive, attr or bang)`},
		{"Derive:A:f\n", `unknown kind "Derive"`},
		{"derive:A\n", `a derive line has 3 or 4 fields`},
		{"derive:A:f:a:b\n", `a derive line has 3 or 4 fields`},
		{"attr:a:a:x\n", `an attr line has 3 fields (attr:name:function), not 4`},
		{"bang:a\n", `a bang line has 3 fields`},
		{"derive::f\n", `line 1 "derive::f": empty macro name`},
		{"derive:A:\n", `empty function name`},
		{"derive:A:f:\n", `empty helper attribute list`},
		{"derive:A:f:a,,b\n", `empty helper attribute name`},
		{"derive:A:f:a,\n", `empty helper attribute name`},
		{"derive:A:f:a,a\n", `helper attribute a is listed twice`},
		{"derive:A:f:a b\n", `helper attribute "a b" is not a Rust identifier`},
		{"derive:A:f:type\n", `helper attribute "type" is not a Rust identifier`},
		{"derive:1A:f\n", `trait name "1A" is not a Rust identifier`},
		{"derive:_:f\n", `trait name "_" is not a Rust identifier`},
		{"derive:struct:f\n", `trait name "struct" is not a Rust identifier`},
		{"derive:r#A:f\n", `trait name "r#A" is not a Rust identifier`},
		{"derive:A:fn\n", `function "fn" is not a Rust identifier`},
		{"derive:A:r#crate\n", `function "r#crate" is not a Rust identifier`},
		{"derive:A:r#\n", `function "r#" is not a Rust identifier`},
		{"derive:A:f-g\n", `function "f-g" is not a Rust identifier`},
		{"derive:A:f\r\n", `function "f\r" is not a Rust identifier`},
		{"bang:a:b\n", `a bang macro is named as its function: "a" is not "b"`},
		{"attr:r#a:r#a\n", `macro name "r#a" is not a Rust identifier`},
		{"bang:a:a\nderive:a:b\n", `line 2 "derive:a:b": a second macro named a (the first is on line 1)`},
		{"derive:A:f\nderive:B:f\n", `line 2 "derive:B:f": function f is already the macro A on line 1`},
		{"bang:\xff:\xff\n", `not valid UTF-8`},
		{"garbage", `the last line does not end in a newline`},
		{"\x00\n", `unknown kind "\x00"`},
	} {
		_, err := ParseDecls(tc.text)
		if err == nil {
			t.Errorf("ParseDecls(%q) succeeded, want an error with %q", tc.text, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseDecls(%q) = %q, want it to contain %q", tc.text, err, tc.want)
		}
	}
}

func TestKeyText(t *testing.T) {
	if got := FormatKey("field_names-0123456789abcdef"); got != "v1 field_names-0123456789abcdef\n" {
		t.Fatalf("FormatKey = %q", got)
	}
	key, err := ParseKey("v1 field_names-0123456789abcdef\n")
	if err != nil || key != "field_names-0123456789abcdef" {
		t.Fatalf("ParseKey = %q, %v", key, err)
	}
	for _, tc := range []struct{ text, want string }{
		{"", `"" does not start with "v1 "`},
		{"v2 k\n", `does not start with "v1 "`},
		{"v1 k", `"v1 k" does not end in a newline`},
		{"v1 \n", `empty macro key`},
		{"v1 a b\n", `macro key "a b" has a character other than`},
		{"v1 k\n\n", `has a character other than`},
		{"v1 k\"\n", `has a character other than`},
		{"v1 ké\n", `has a character other than`},
	} {
		_, err := ParseKey(tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseKey(%q) = %v, want an error with %q", tc.text, err, tc.want)
		}
	}
}
