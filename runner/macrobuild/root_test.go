package macrobuild

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const rootTestKey = "demo-0123456789abcdef"

// renameTestMarked turns a source whose renamed names are marked «like
// this», and where leadAttr goes by ‹, into the source, the offsets of those
// names and those of the leads.
func renameTestMarked(t testing.TB, marked string) ([]byte, []int, []int) {
	t.Helper()
	var src []byte
	var offs, leads []int
	open := -1
	for _, r := range marked {
		switch r {
		case '‹':
			leads = append(leads, len(src))
		case '«':
			if open >= 0 {
				t.Fatalf("unbalanced markers in %q", marked)
			}
			open = len(src)
		case '»':
			if open < 0 || !renamedAttrs[string(src[open:])] {
				t.Fatalf("bad marker in %q", marked)
			}
			offs = append(offs, open)
			open = -1
		default:
			src = append(src, string(r)...)
		}
	}
	if open >= 0 {
		t.Fatalf("unbalanced markers in %q", marked)
	}
	return src, offs, leads
}

// renameTestInsert is src with renamePrefix inserted at each of offs.
func renameTestInsert(src []byte, offs []int) []byte {
	return renameTestInsertLeads(src, offs, nil)
}

// renameTestInsertLeads is src with renamePrefix inserted at each of offs
// and leadAttr at each of leads.
func renameTestInsertLeads(src []byte, offs, leads []int) []byte {
	var out []byte
	prev, l := 0, 0
	for _, o := range offs {
		for ; l < len(leads) && leads[l] < o; l++ {
			out = append(append(out, src[prev:leads[l]]...), leadAttr...)
			prev = leads[l]
		}
		out = append(append(out, src[prev:o]...), renamePrefix...)
		prev = o
	}
	for ; l < len(leads); l++ {
		out = append(append(out, src[prev:leads[l]]...), leadAttr...)
		prev = leads[l]
	}
	return append(out, src[prev:]...)
}

// renameTestLex lexes src, failing the test on an error.
func renameTestLex(t testing.TB, what string, src []byte) []rootTok {
	t.Helper()
	lx := &rootLexer{path: what, src: src}
	if err := lx.run(); err != nil {
		t.Fatalf("lexing the %s: %v", what, err)
	}
	return lx.toks
}

// renameTestCheckOutput checks the invariants of any successful rename of
// src into out, offs being the offsets of the renamed names: each is the
// start of the name of an identifier token that is one of the renamed
// attributes; the source part of out is src with exactly those names
// prefixed, so it has the same lines and, token for token, the same
// tokens but for the renamed names; and the rest is the appended block.
// leads are where leadAttr is inserted: each is the `#` of an outer
// attribute, and the attributes from it on reach a renamed name; taken
// out again, the output has the properties above.
func renameTestCheckOutput(t testing.TB, src, out []byte, offs, leads []int, key string) {
	t.Helper()
	if len(offs) == 0 {
		t.Fatal("a successful rename renamed nothing")
	}
	toks := renameTestLex(t, "source", src)
	for _, l := range leads {
		i := slices.IndexFunc(toks, func(tok rootTok) bool { return tok.start == l })
		if i < 0 || toks[i].kind != rootPunct || toks[i].ch != '#' || i+1 >= len(toks) || toks[i+1].ch != '[' {
			t.Fatalf("a lead at %d, which is not the `#` of an outer attribute", l)
		}
		// The run of outer attributes from there holds a renamed name.
		end := i
		for end+1 < len(toks) && toks[end].ch == '#' && toks[end].kind == rootPunct && toks[end+1].kind == rootOpen && toks[end+1].ch == '[' {
			end = toks[end+1].partner + 1
		}
		if k := slices.IndexFunc(offs, func(o int) bool { return o > l && o < toks[end-1].end }); k < 0 {
			t.Fatalf("the lead at %d precedes no renamed attribute", l)
		}
	}
	if full := renameTestInsertLeads(src, offs, leads); !bytes.HasPrefix(out, full) {
		t.Fatalf("output:\n got %q\nwant %q", out[:min(len(out), len(full))], full)
	}
	// Without the leads.
	out = append(renameTestInsert(src, offs), out[len(renameTestInsertLeads(src, offs, leads)):]...)
	renamed := map[int]bool{} // token indices
	k := 0
	for i, tok := range toks {
		if k < len(offs) && tok.end > offs[k] {
			if tok.kind != rootIdent || tok.end-len(tok.name) != offs[k] || !renamedAttrs[tok.name] {
				t.Fatalf("offset %d is not the start of a renamed name: token %q", offs[k], src[tok.start:tok.end])
			}
			renamed[i] = true
			k++
		}
	}
	if k != len(offs) {
		t.Fatalf("offsets %v: %d are not at tokens of the source", offs, len(offs)-k)
	}
	want := renameTestInsert(src, offs)
	if !bytes.HasPrefix(out, want) {
		t.Fatalf("source part:\n got %q\nwant %q", out[:min(len(out), len(want))], want)
	}
	part := out[:len(want)]
	// Line by line: each line is the line of the source with its own
	// names renamed.
	srcLines, partLines := bytes.SplitAfter(src, []byte("\n")), bytes.SplitAfter(part, []byte("\n"))
	if len(srcLines) != len(partLines) {
		t.Fatalf("%d lines, was %d", len(partLines), len(srcLines))
	}
	lineStart, k := 0, 0
	for i, line := range srcLines {
		var own []int
		for ; k < len(offs) && offs[k] < lineStart+len(line); k++ {
			own = append(own, offs[k]-lineStart)
		}
		if want := renameTestInsert(line, own); !bytes.Equal(partLines[i], want) {
			t.Fatalf("line %d:\n got %q\nwant %q", i+1, partLines[i], want)
		}
		lineStart += len(line)
	}
	// The same tokens, but for the renamed names.
	partToks := renameTestLex(t, "output", part)
	if len(partToks) != len(toks) {
		t.Fatalf("the output has %d tokens, the source %d", len(partToks), len(toks))
	}
	for i, a := range toks {
		b := partToks[i]
		aText, bText := string(src[a.start:a.end]), string(part[b.start:b.end])
		if renamed[i] {
			aText = aText[:len(aText)-len(a.name)] + renamePrefix + a.name
		}
		if a.kind != b.kind || aText != bText || a.partner != b.partner {
			t.Fatalf("token %d: %q became %q", i, src[a.start:a.end], bText)
		}
	}
	rest := out[len(want):]
	if len(src) > 0 && src[len(src)-1] != '\n' {
		if len(rest) == 0 || rest[0] != '\n' {
			t.Fatal("no newline added after a source that does not end in one")
		}
		rest = rest[1:]
	}
	if string(rest) != rootAppendix(key, "2021") {
		t.Fatalf("appended part:\n%s\nwant\n%s", rest, rootAppendix(key, "2021"))
	}
	renameTestLex(t, "whole output", out)
}

func TestRenameAttributesLexing(t *testing.T) {
	for _, tc := range []struct{ name, marked string }{
		{"bang", "use proc_macro::TokenStream;\n#[«proc_macro»]\npub fn m(i: TokenStream) -> TokenStream { i }\n"},
		{"attr", "#[«proc_macro_attribute»] pub fn a(x: T, y: T) -> T { y }"},
		{"derive", "#[«proc_macro_derive»(Thing)]\npub fn derive_thing(i: T) -> T { i }\n"},
		{"derive whitespace comments", "# /* c */ [ // d\n «proc_macro_derive» (\n    Thing, // the trait\n    attributes ( a, /* b, c */ b, ),\n) ]\r\npub fn t(i: T) -> T { i }\n"},
		{"any arguments", "‹#[«proc_macro_derive»]\n#[«proc_macro» = \"x\"]\n#[«proc_macro_attribute»(x y z)]\n#[«proc_macro»[a]]\n#[«proc_macro»{}]\n"},
		{"raw identifier", "#[r#«proc_macro»] pub fn r#match() {}\nfn r#proc_macro() {}\n"},
		{"all kinds", "#[«proc_macro_derive»(Serialize, attributes(serde))] pub fn ser(i: T) -> T { i }\n#[«proc_macro_derive»(Deserialize, attributes(serde))] pub fn de(i: T) -> T { i }\n#[«proc_macro_attribute»] pub fn traced(a: T, i: T) -> T { i }\n#[«proc_macro»] pub fn sum(i: T) -> T { i }\n"},
		{"fn main is no error", "#[«proc_macro»] pub fn m() {}\nfn main() {}\n"},

		// Names in literals and comments.
		{"string", "const S: &str = \"#[proc_macro] pub fn s() {}\";\n#[«proc_macro»] pub fn m() {}\n"},
		{"string escapes", `const S: &str = "\"#[proc_macro] pub fn s() {} \\";` + "\nconst E: &str = \"\\\\\";\n#[«proc_macro»] pub fn m() {}\n"},
		{"multi-line string", "const S: &str = \"a\n#[proc_macro]\npub fn s() {}\n\";\n#[«proc_macro»] pub fn m() {}\n"},
		{"raw string", "const S: &str = r\"#[proc_macro] pub fn s() {} \\\";\n#[«proc_macro»] pub fn m() {}\n"},
		{"raw string hashes", "const S: &str = r##\"\"# #[proc_macro] pub fn s() {} }\"##;\n#[«proc_macro»] pub fn m() {}\n"},
		{"raw string one hash", "const S: &str = r#\"x\"#;\n#[«proc_macro»] pub fn m() {}\n"},
		{"byte strings", "const B: &[u8] = b\"#[proc_macro] \\\" {\";\nconst R: &[u8] = br#\"#[proc_macro]\"\"#;\nconst C: u8 = b'#';\nconst Q: u8 = b'\\'';\nconst Z: u8 = b'[';\n#[«proc_macro»] pub fn m() {}\n"},
		{"line comments", "// #[proc_macro] pub fn c() {}\n/// #[proc_macro] pub fn d() {}\n//! #[proc_macro] {\n#[«proc_macro»] pub fn m() {} // {\n"},
		{"nested block comment", "/* /* #[proc_macro] pub fn c() {} */ #[proc_macro] pub fn d() {} { */\n/** #[proc_macro] */\n/*! */ /**/ /***/\n#[«proc_macro»] pub fn m() {}\n"},
		{"comment in the file's last line", "#[«proc_macro»] pub fn m() {}\n// end"},
		{"doc attributes", "‹#[doc = \"#[proc_macro]\"]\n#[doc = r#\"#[proc_macro_derive(A)]\"#]\n#[«proc_macro»] pub fn m() {}\n"},
		{"generated names in literals and comments", "// extern crate rules_rustc_wasm_attrs;\nconst S: &str = \"__RULES_RUSTC_WASM_KEY rules_rustc_wasm_proc_macro\";\n#[«proc_macro»] pub fn m() {}\n"},
		{"lifetimes", "fn f<'a>(x: &'a str) -> &'a str { x }\nstruct S<'a, 'b: 'a>(&'a &'b ());\nfn g() { 'proc_macro: loop { break 'proc_macro; } }\nstatic T: &'static str = \"\";\n#[«proc_macro»] pub fn m() {}\n"},
		{"char literals", "fn f() -> [char; 11] { ['{', '}', '\\'', '\"', '\\u{1F600}', '😀', '\\n', '\\\\', 'a', '[', '#'] }\nfn g<'a>(_: &'a ()) -> char { 'a' }\n#[«proc_macro»] pub fn m() {}\n"},
		{"char hash is not an attribute", "const C: char = '#'; const A: [u8; 0] = [proc_macro; 0];\nconst D: char = '#';[proc_macro];\n#[«proc_macro»] pub fn m() {}\n"},
		{"char brace does not open a block", "const C: char = '{';\n#[«proc_macro»] pub fn m() {}\nconst D: char = '}';\n#[«proc_macro»] pub fn n() {}\n"},
		{"numbers", "const F: f64 = 1.0e5 + 2.5E-3 + 0x7F_u8 as f64; fn r() { let _ = 1..2; let t = ((1, 2), 3); let _ = t.0.1; let _ = 1.max(2); }\n#[«proc_macro»] pub fn m() {}\n"},

		// proc_macro as a crate, a path, a cfg or an argument.
		{"proc_macro paths", "extern crate proc_macro;\nuse proc_macro::TokenStream;\nfn f(x: proc_macro::TokenStream) -> ::proc_macro::TokenStream { x }\n#[proc_macro::x] fn y() {}\n#[proc_macro_derive::x] fn z() {}\n#[::proc_macro::x] fn w() {}\n#[«proc_macro»] pub fn m() {}\n"},
		{"other attributes", "#[path = \"proc_macro.rs\"] mod m;\n‹#[cfg(proc_macro)]\n#[allow(proc_macro)]\n#[derive(proc_macro_derive)]\n#[proc_macro_hack]\n#[proc_macro_error]\n#[proc_macro_derived]\n#[doc(proc_macro)]\n#[«proc_macro»] pub fn m() {}\n"},
		{"not attributes", "fn f() { let proc_macro = 1; let proc_macro_derive = [proc_macro]; g(proc_macro_attribute); }\nquote! { #proc_macro #(#proc_macro_derive)* }\n#[«proc_macro»] pub fn m() {}\n"},
		{"inner attributes", "#![proc_macro]\n#![proc_macro_derive(A)]\n# ! [proc_macro_attribute]\n#![cfg_attr(all(), proc_macro)]\n#[«proc_macro»] pub fn m() {}\n"},

		// At any depth, in macros.
		{"in blocks and modules", "mod m { #[«proc_macro»] pub fn f() {} }\nfn g() { #[«proc_macro_derive»(A)] fn h() {} }\nimpl S { #[«proc_macro_attribute»] fn i() {} }\n"},
		{"macro_rules body", "macro_rules! create_derive(\n    ($feature:literal, $trait_:ident, $fn_name: ident $(,$attribute:ident)* $(,)?) => {\n        ‹#[cfg(feature = $feature)]\n        #[«proc_macro_derive»($trait_, attributes($($attribute),*))]\n        #[doc(hidden)]\n        pub fn $fn_name(input: TokenStream) -> TokenStream { input }\n    }\n);\ncreate_derive!(\"from\", From, from_derive, from);\n"},
		{"macro invocations", "fn gen() -> T { quote! { #[«proc_macro»] pub fn g() {} } }\nmacro_rules! m { () => { #[«proc_macro»] pub fn g() {} }; }\nfoo::bar![#[«proc_macro_derive»(A)] pub fn f() {}];\nm!(#[«proc_macro_attribute»]);\n"},
		{"attribute in an attribute's arguments", "#[cfg_attr(a, doc = m!(#[«proc_macro»]), «proc_macro_derive»(A))]\n#[doc = m!{ #[«proc_macro»] }] pub fn f() {}\n"},

		// cfg_attr.
		{"cfg_attr", "#[cfg_attr(feature = \"x\", «proc_macro_derive»(A))] pub fn f() {}\n"},
		{"cfg_attr strum", "‹#[cfg_attr(\n    not(feature = \"verbose-enumstring-name\"),\n    «proc_macro_derive»(EnumString, attributes(strum))\n)]\n#[cfg_attr(\n    feature = \"verbose-enumstring-name\",\n    «proc_macro_derive»(StrumEnumString, attributes(strum))\n)]\npub fn from_string(input: proc_macro::TokenStream) -> proc_macro::TokenStream { input }\n"},
		{"cfg_attr several attributes", "#[cfg_attr(x, inline, «proc_macro», doc = \"proc_macro\", allow(proc_macro), «proc_macro_attribute»,)] pub fn f() {}\n"},
		{"cfg_attr nested", "#[cfg_attr(a, cfg_attr(b, «proc_macro_attribute»), cfg_attr(c, cfg_attr(d, inline, «proc_macro»)))] pub fn f() {}\n"},
		{"cfg_attr predicate", "#[cfg_attr(proc_macro, «proc_macro»)]\n#[cfg_attr(all(proc_macro, proc_macro_derive), doc = \"\")]\n#[cfg_attr(any(), proc_macro::x, proc_macro_derive::y)]\n#[cfg_attr(proc_macro_derive)]\n#[cfg_attr()]\n#[cfg_attr]\n#[cfg_attr = \"proc_macro\"]\n#[cfg_attr[x, proc_macro]]\npub fn f() {}\n"},
		{"cfg_attr in a macro", "macro_rules! m { ($f:ident) => { #[cfg_attr(not(x), «proc_macro»)] pub fn $f() {} } }\n"},

		// Text around.
		{"unicode", "// é\nconst Ä: &str = \"ü\"; fn größe() {}\n#[«proc_macro_derive»(Größe, attributes(maß))] pub fn größe_ableiten(i: T) -> T { i } // ü\n"},
		{"bom and crlf", "\ufeff//! doc\r\n#[«proc_macro»]\r\npub fn m() {}\r\n"},
		{"shebang", "#!/usr/bin/env run\n#[«proc_macro»] pub fn m() {}\n"},
		{"not a shebang", "#![allow(unused)]\n#[«proc_macro»] pub fn m() {}\n"},
		{"no final newline", "#[«proc_macro»] pub fn m() {}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, wantOffs, wantLeads := renameTestMarked(t, tc.marked)
			out, offs, leads, err := renameAttributesLeads("x.rs", src, rootTestKey, "2021")
			if err != nil {
				t.Fatalf("RenameAttributes: %v", err)
			}
			if !reflect.DeepEqual(offs, wantOffs) {
				t.Fatalf("renamed at %v, want %v", offs, wantOffs)
			}
			if !reflect.DeepEqual(leads, wantLeads) {
				t.Fatalf("leads at %v, want %v", leads, wantLeads)
			}
			renameTestCheckOutput(t, src, out, offs, leads, rootTestKey)
			out2, err := RenameAttributes("x.rs", src, rootTestKey, "2021")
			if err != nil || !bytes.Equal(out2, out) {
				t.Fatalf("RenameAttributes differs from renameAttributes: %v", err)
			}
		})
	}
}

func TestRenameAttributesPositions(t *testing.T) {
	src := "use x;\r\n#[doc = \"a\"] #[proc_macro_derive(A, // c\r\n  attributes(h))] #[inline]\r\npub fn a() {}\r\n\t/* é */ #[proc_macro] pub fn b() {} #[cfg_attr(x, proc_macro_attribute)] const Z: u8 = 1;"
	out, err := RenameAttributes("p.rs", []byte(src), rootTestKey, "2021")
	if err != nil {
		t.Fatal(err)
	}
	want := "use x;\r\n#[rules_rustc_wasm_lead]#[doc = \"a\"] #[rules_rustc_wasm_proc_macro_derive(A, // c\r\n  attributes(h))] #[inline]\r\npub fn a() {}\r\n\t/* é */ #[rules_rustc_wasm_proc_macro] pub fn b() {} #[cfg_attr(x, rules_rustc_wasm_proc_macro_attribute)] const Z: u8 = 1;" +
		"\n" + rootAppendix(rootTestKey, "2021")
	if string(out) != want {
		t.Fatalf("got\n%q\nwant\n%q", out, want)
	}
	// A message about a place in the file gives the source's line and
	// column, and so does rustc for every token before a renamed name on
	// its line, and for every token of the lines without one.
	srcLines, outLines := strings.Split(src, "\n"), strings.Split(string(out), "\n")
	for i, line := range srcLines {
		if !strings.Contains(line, "proc_macro") && outLines[i] != line {
			t.Errorf("line %d changed: %q", i+1, outLines[i])
		}
	}
	_, err = RenameAttributes("p.rs", []byte("#[proc_macro] pub fn m() {}\r\n\t/* é */ #[proc_macro] const S: &str = \"ab;"), rootTestKey, "2021")
	if want := "p.rs:2:40: unterminated string literal"; err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}

func TestRenameAttributesAppendix(t *testing.T) {
	src := "#[proc_macro] pub fn m(i: T) -> T { i }\n"
	out, err := RenameAttributes("a.rs", []byte(src), "name-0123456789abcdef", "2021")
	if err != nil {
		t.Fatal(err)
	}
	want := `#[rules_rustc_wasm_proc_macro] pub fn m(i: T) -> T { i }
// Generated by rules_rustc_wasm: the attribute macros of rules_rustc_wasm_attrs register the proc macros; the key ties the module to its shim.
#[macro_use]
extern crate rules_rustc_wasm_attrs;
#[doc(hidden)]
#[link_section = "rules_rustc_wasm.macro"]
#[used]
static __RULES_RUSTC_WASM_KEY: [u8; 25] = *b"v1 name-0123456789abcdef\n";
`
	if string(out) != want {
		t.Fatalf("got:\n%s\nwant\n%s", out, want)
	}
	if n := len(FormatKey("name-0123456789abcdef")); n != 25 {
		t.Fatalf("test is wrong: %d", n)
	}
	// The block starts on a line of its own, after a newline only when
	// the source does not end in one.
	for _, src := range []string{"#[proc_macro] fn f() {}", "#[proc_macro] fn f() {}\n", "#[proc_macro] fn f() {}\r\n", "#[proc_macro] fn f() {} // x"} {
		out, err := RenameAttributes("a.rs", []byte(src), "k", "2021")
		if err != nil {
			t.Fatal(err)
		}
		body, _, ok := strings.Cut(string(out), rootGeneratedMarker)
		renamed := strings.Replace(src, "proc_macro", "rules_rustc_wasm_proc_macro", 1)
		if !ok || strings.TrimSuffix(body, "\n") != strings.TrimSuffix(renamed, "\n") || !strings.HasSuffix(body, "\n") || strings.HasSuffix(body, "\n\n") {
			t.Errorf("%q became %q", src, out)
		}
	}
	if got := rootByteString("a\"\\\n\x00é\x7f"); got != `a\"\\\n\x00\xc3\xa9\x7f` {
		t.Fatalf("rootByteString = %s", got)
	}
	if got := rootStringEscape("a\"\\\n\x7fé"); got != `a\"\\\u{a}\u{7f}é` {
		t.Fatalf("rootStringEscape = %s", got)
	}
}

func TestRenameAttributesErrors(t *testing.T) {
	const fn = " pub fn f(i: T) -> T { i }\n"
	const none = "x.rs declares no proc macro: is it the root of a proc-macro crate?"
	for _, tc := range []struct{ src, want string }{
		{"#[::proc_macro_derive(A)]" + fn, "x.rs:1:3: `::proc_macro_derive` as an attribute is not supported: write `proc_macro_derive`"},
		{"#[proc_macro]" + fn + "#[cfg_attr(x, ::proc_macro)]" + fn, "x.rs:2:15: `::proc_macro` as an attribute is not supported: write `proc_macro`"},
		{"m! { #[ :: proc_macro_attribute ] }", "x.rs:1:9: `::proc_macro_attribute` as an attribute is not supported"},
		{"#[proc_macro]" + fn + "#[macro_use]\nextern crate rules_rustc_wasm_attrs;\n",
			"x.rs:3:14: `rules_rustc_wasm_attrs` is a name that rules_rustc_wasm's rewrite generates: is the file rewritten already?"},
		{"#[rules_rustc_wasm_proc_macro]" + fn, "x.rs:1:3: `rules_rustc_wasm_proc_macro` is a name that rules_rustc_wasm's rewrite generates"},
		{"#[cfg_attr(x, r#rules_rustc_wasm_proc_macro_derive(A))]" + fn, "x.rs:1:15: `rules_rustc_wasm_proc_macro_derive` is a name"},
		{"#[proc_macro]" + fn + "static __RULES_RUSTC_WASM_KEY: u8 = 0;", "x.rs:2:8: `__RULES_RUSTC_WASM_KEY` is a name"},
		{"use rules_rustc_wasm_proc_macro_attribute;", "x.rs:1:5: `rules_rustc_wasm_proc_macro_attribute` is a name"},

		{"use proc_macro::TokenStream;\n// #[proc_macro]\nconst S: &str = \"#[proc_macro]\";\n#[proc_macro::x]\n#[cfg(proc_macro)]\n#[cfg_attr(proc_macro, inline)]\n#[proc_macro_error]\n#![proc_macro]\n#![cfg_attr(x, proc_macro_derive(A))]\nquote!(#proc_macro);\n", none},
		{"", none},
		{"\ufeff", none},
		{"#!/bin/sh\n", none},

		{"#[proc_macro]" + fn + "/* /* */", "x.rs:2:1: unterminated block comment"},
		{"#[proc_macro]" + fn + "const S: &str = \"\\\";", "x.rs:2:17: unterminated string literal"},
		{"#[proc_macro]" + fn + "const S: &str = r##\"a\"#;", "x.rs:2:17: unterminated raw string literal"},
		{"#[proc_macro]" + fn + "const S: &[u8] = br\"", "x.rs:2:18: unterminated raw string literal"},
		{"#[proc_macro]" + fn + "const S: &[u8] = b\"\\\"", "x.rs:2:18: unterminated byte string literal"},
		{"#[proc_macro]" + fn + "const C: char = '\\';", "x.rs:2:17: unterminated character literal"},
		{"#[proc_macro]" + fn + "const C: char = ' ", "x.rs:2:17: unterminated character literal"},
		{"#[proc_macro]" + fn + "const C: char = '", "x.rs:2:17: unterminated character literal"},
		{"#[proc_macro]" + fn + "const C: u8 = b'ab';", "x.rs:2:15: unterminated byte literal"},
		{"#[proc_macro]" + fn + "const C: u8 = b'", "x.rs:2:15: unterminated byte literal"},
		{"#[proc_macro]" + fn + "}", "x.rs:2:1: unexpected `}`"},
		{"#[proc_macro]" + fn + "fn g() { (] }", "x.rs:2:11: `]` does not close `(` (opened at x.rs:2:10)"},
		{"#[proc_macro]" + fn + "fn g() {", "x.rs:2:8: `{` is never closed"},
		{"#[proc_macro" + fn, "x.rs:1:2: `[` is never closed"},
		{"é #[proc_macro]" + fn + "// \xff\n", "x.rs:2:4: the file is not valid UTF-8"},
	} {
		_, err := RenameAttributes("x.rs", []byte(tc.src), rootTestKey, "2021")
		if err == nil {
			t.Errorf("RenameAttributes(%q) succeeded, want %q", tc.src, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("RenameAttributes(%q):\n got %q\nwant %q", tc.src, err, tc.want)
		}
	}
}

func TestRenameAttributesBadKey(t *testing.T) {
	src := []byte("#[proc_macro] pub fn m() {}\n")
	for _, key := range []string{"", "a b", "k\"", "k\n", "é", "a/b", "k\\"} {
		if _, err := RenameAttributes("x.rs", src, key, "2021"); err == nil || !strings.HasPrefix(err.Error(), "x.rs: ") || !strings.Contains(err.Error(), "macro key") {
			t.Errorf("RenameAttributes with key %q: %v, want a key error", key, err)
		}
	}
	if _, err := RenameAttributes("x.rs", src, "Az09_-", "2021"); err != nil {
		t.Errorf("key Az09_-: %v", err)
	}
}

// renameTestLeft matches a proc-macro attribute as written in a file.
var renameTestLeft = regexp.MustCompile(`#\s*\[\s*proc_macro(_derive|_attribute)?\b`)

func TestRenameAttributesRealCrates(t *testing.T) {
	const registry = "/usr/share/cargo/registry/"
	const examples = "../../examples/"
	for _, tc := range []struct {
		path  string
		lines []int // of the renamed names; nil: any, at least one
	}{
		{registry + "serde_derive-1.0.152/src/lib.rs", []int{90, 98}},
		{registry + "thiserror-impl-1.0.38/src/lib.rs", []int{29}},
		// Declared by a macro_rules! whose body writes the attribute.
		{registry + "derive_more-0.99.11/src/lib.rs", []int{275}},
		// Every macro declared by two cfg_attr, only one of them on.
		{registry + "strum_macros-0.19.2/src/lib.rs", []int{41, 45, 57, 61, 73, 77, 89, 93, 108, 112, 127, 131, 143, 147, 159, 163, 175, 179, 191, 195, 207, 211, 223, 227}},
		// An attribute macro named proc_macro_error, mentioning the
		// attributes in its strings and docs.
		{registry + "proc-macro-error-attr-1.0.3/src/lib.rs", []int{20}},
		{examples + "macros/describe.rs", nil},
		{examples + "macros/traced.rs", nil},
		{examples + "macros/sum.rs", nil},
		{examples + "config/field_names.rs", nil},
		// #[proc_macro_error] beside the derive stays.
		{examples + "derives/named.rs", nil},
	} {
		t.Run(strings.TrimPrefix(strings.TrimPrefix(tc.path, registry), examples), func(t *testing.T) {
			src, err := os.ReadFile(tc.path)
			if os.IsNotExist(err) && strings.HasPrefix(tc.path, registry) {
				t.Skipf("%s is absent", tc.path)
			}
			if err != nil {
				t.Fatal(err)
			}
			out, offs, leads, err := renameAttributesLeads(tc.path, src, rootTestKey, "2021")
			if err != nil {
				t.Fatal(err)
			}
			renameTestCheckOutput(t, src, out, offs, leads, rootTestKey)
			var lines []int
			for _, o := range offs {
				lines = append(lines, bytes.Count(src[:o], []byte("\n"))+1)
			}
			if tc.lines != nil && !reflect.DeepEqual(lines, tc.lines) {
				t.Fatalf("renamed on lines %v, want %v", lines, tc.lines)
			}
			for i, line := range strings.Split(string(out), "\n") {
				if trimmed := strings.TrimSpace(line); !strings.HasPrefix(trimmed, "//") && renameTestLeft.MatchString(line) {
					t.Errorf("line %d keeps a proc-macro attribute: %s", i+1, line)
				}
			}
		})
	}
}

// TestRenameAttributesNotARoot: the macros' helper library is no
// proc-macro crate.
func TestRenameAttributesNotARoot(t *testing.T) {
	const path = "../../examples/macros/naming.rs"
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = RenameAttributes(path, src, rootTestKey, "2021")
	if want := path + " declares no proc macro: is it the root of a proc-macro crate?"; err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
}

// rootTestStub is a stand-in for the project's wasm proc_macro crate: just
// what the example macros use.
const rootTestStub = `
use std::fmt;
pub struct TokenStream(Vec<TokenTree>);
impl TokenStream {
    pub fn new() -> TokenStream { TokenStream(Vec::new()) }
    pub fn is_empty(&self) -> bool { self.0.is_empty() }
}
pub enum TokenTree { Group(Group), Ident(Ident), Punct(Punct), Literal(Literal) }
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum Delimiter { Parenthesis, Brace, Bracket, None }
pub struct Group(Delimiter, TokenStream);
impl Group {
    pub fn new(d: Delimiter, s: TokenStream) -> Group { Group(d, s) }
    pub fn delimiter(&self) -> Delimiter { self.0 }
    pub fn stream(&self) -> TokenStream { TokenStream::new() }
}
pub struct Ident(String);
pub struct Punct(char);
impl Punct { pub fn as_char(&self) -> char { self.0 } }
pub struct Literal(String);
impl fmt::Display for TokenStream { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { f.write_str("") } }
impl fmt::Display for TokenTree { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { f.write_str("") } }
impl fmt::Display for Ident { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { f.write_str(&self.0) } }
impl fmt::Display for Literal { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { f.write_str(&self.0) } }
impl IntoIterator for TokenStream {
    type Item = TokenTree;
    type IntoIter = std::vec::IntoIter<TokenTree>;
    fn into_iter(self) -> Self::IntoIter { self.0.into_iter() }
}
impl Extend<TokenTree> for TokenStream { fn extend<I: IntoIterator<Item = TokenTree>>(&mut self, i: I) { self.0.extend(i) } }
impl Extend<TokenStream> for TokenStream { fn extend<I: IntoIterator<Item = TokenStream>>(&mut self, i: I) { for s in i { self.0.extend(s.0) } } }
impl std::iter::FromIterator<TokenTree> for TokenStream { fn from_iter<I: IntoIterator<Item = TokenTree>>(i: I) -> Self { TokenStream(i.into_iter().collect()) } }
#[derive(Debug)]
pub struct LexError;
impl std::str::FromStr for TokenStream {
    type Err = LexError;
    fn from_str(_: &str) -> Result<TokenStream, LexError> { Ok(TokenStream::new()) }
}
`

// rootTestAttrs stands in for rules_rustc_wasm_attrs, a native proc-macro
// crate: each attribute returns its item unchanged.
const rootTestAttrs = `extern crate proc_macro;
use proc_macro::TokenStream;
#[proc_macro_attribute]
pub fn rules_rustc_wasm_proc_macro(_args: TokenStream, item: TokenStream) -> TokenStream { item }
#[proc_macro_attribute]
pub fn rules_rustc_wasm_proc_macro_derive(_args: TokenStream, item: TokenStream) -> TokenStream { item }
#[proc_macro_attribute]
pub fn rules_rustc_wasm_proc_macro_attribute(_args: TokenStream, item: TokenStream) -> TokenStream { item }
#[proc_macro_attribute]
pub fn rules_rustc_wasm_lead(_args: TokenStream, item: TokenStream) -> TokenStream { item }
`

const rootTestRustc = "/usr/bin/rustc"

func rootTestRun(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(rootTestRustc, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("rustc %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// renameTestSynthetic declares its macros in every way the rename is for:
// derive_more's macro_rules!, strum's cfg_attr pairs, nested cfg_attr, in
// a module, and with odd text around. The compile turns feature "on" on.
const renameTestSynthetic = "//! All kinds, all ways.\n#![allow(dead_code)]\nuse proc_macro::TokenStream;\n" +
	"macro_rules! create_derive(\n    ($feature:literal, $trait_:ident, $fn_name: ident $(,$attribute:ident)* $(,)?) => {\n" +
	"        #[cfg(feature = $feature)]\n        #[proc_macro_derive($trait_, attributes($($attribute),*))]\n        #[doc(hidden)]\n" +
	"        pub fn $fn_name(input: TokenStream) -> TokenStream { input }\n    }\n);\n" +
	"create_derive!(\"on\", From, from_derive, from);\ncreate_derive!(\"off\", Into, into_derive);\ncreate_derive!(\"on\", Display, display_derive, display, fmt,);\n" +
	"#[cfg_attr(not(feature = \"on\"), proc_macro_derive(EnumString, attributes(strum)))]\n" +
	"#[cfg_attr(feature = \"on\", proc_macro_derive(StrumEnumString, attributes(strum)))]\n" +
	"pub fn from_string(input: proc_macro::TokenStream) -> proc_macro::TokenStream { input }\n" +
	"#[cfg_attr(all(), cfg_attr(feature = \"on\", inline, proc_macro_attribute))]\npub fn r#match(_a: TokenStream, i: TokenStream) -> TokenStream { i }\n" +
	"const S: &str = r#\"#[proc_macro] \"quoted\" \\ \"#;\nfn f<'a>(x: &'a str) -> char { let _ = x; '{' }\n" +
	"/// Derives it.\n#[proc_macro_derive(Größe, attributes(maß, helper,))]\n#[allow(unused)]\npub fn größe(i: TokenStream) -> TokenStream { i }\n" +
	"pub mod inner { #[proc_macro] pub fn nested(i: super::TokenStream) -> super::TokenStream { i } }\n" +
	"#[r#proc_macro]\r\npub fn r#async(i: TokenStream) -> TokenStream { i }\n" +
	"fn main() {}\n" +
	"#[proc_macro] pub fn plain(i: TokenStream) -> TokenStream { i } // no final newline"

// TestRenameAttributesCompiles compiles renamed roots for wasm32-wasi as
// cdylib crates against a stub proc_macro crate and a stub
// rules_rustc_wasm_attrs: rustc resolves every renamed attribute, after
// cfg_attr and macro_rules! expansion, to rules_rustc_wasm_attrs's.
func TestRenameAttributesCompiles(t *testing.T) {
	if _, err := os.Stat(rootTestRustc); err != nil {
		t.Skipf("%s is absent", rootTestRustc)
	}
	dir := t.TempDir()
	for name, text := range map[string]string{"stub.rs": rootTestStub, "attrs.rs": rootTestAttrs} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rootTestRun(t, dir, "--edition", "2021", "--crate-type", "rlib", "--crate-name", "proc_macro",
		"--target", "wasm32-wasi", "-o", "libproc_macro.rlib", "stub.rs")
	rootTestRun(t, dir, "--edition", "2021", "--crate-type", "proc-macro", "--crate-name", "rules_rustc_wasm_attrs",
		"-o", "librules_rustc_wasm_attrs.so", "attrs.rs")
	for _, tc := range []struct{ name, path, src string }{
		{"sum", "../../examples/macros/sum.rs", ""},
		{"traced", "../../examples/macros/traced.rs", ""},
		{"synthetic", "", renameTestSynthetic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.src)
			if tc.path != "" {
				var err error
				if src, err = os.ReadFile(tc.path); err != nil {
					t.Fatal(err)
				}
			}
			key := tc.name + "-0123456789abcdef"
			out, err := RenameAttributes(tc.name+".rs", src, key, "2021")
			if err != nil {
				t.Fatal(err)
			}
			name := tc.name + "_renamed.rs"
			if err := os.WriteFile(filepath.Join(dir, name), out, 0o644); err != nil {
				t.Fatal(err)
			}
			rootTestRun(t, dir, "--edition", "2021", "--crate-type", "cdylib", "--crate-name", tc.name,
				"--target", "wasm32-wasi", "--cfg", `feature="on"`,
				"--extern", "proc_macro="+filepath.Join(dir, "libproc_macro.rlib"),
				"--extern", "rules_rustc_wasm_attrs="+filepath.Join(dir, "librules_rustc_wasm_attrs.so"),
				"-D", "warnings", "-o", tc.name+".wasm", name)
			wasm, err := os.ReadFile(filepath.Join(dir, tc.name+".wasm"))
			if err != nil {
				t.Fatal(err)
			}
			// The key's section survives linking, byte for byte.
			section := append([]byte{byte(len(KeySection))}, KeySection...)
			section = append(section, FormatKey(key)...)
			if !bytes.Contains(wasm, section) {
				t.Errorf("%s.wasm has no %s section %q", tc.name, KeySection, FormatKey(key))
			}
		})
	}
	// Not renamed, the attributes are rustc's own, which a cdylib refuses:
	// the rename is what makes the compile use rules_rustc_wasm_attrs.
	t.Run("not renamed", func(t *testing.T) {
		src, err := os.ReadFile("../../examples/macros/sum.rs")
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, rootAppendix(rootTestKey, "2021")...)
		if err := os.WriteFile(filepath.Join(dir, "bare.rs"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(rootTestRustc, "--edition", "2021", "--crate-type", "cdylib", "--target", "wasm32-wasi",
			"--extern", "proc_macro="+filepath.Join(dir, "libproc_macro.rlib"),
			"--extern", "rules_rustc_wasm_attrs="+filepath.Join(dir, "librules_rustc_wasm_attrs.so"),
			"-o", "bare.wasm", "bare.rs")
		cmd.Dir = dir
		msg, err := cmd.CombinedOutput()
		if err == nil || !bytes.Contains(msg, []byte("proc-macro")) {
			t.Fatalf("compiled with #[proc_macro] kept: %v\n%s", err, msg)
		}
	})
}

func FuzzRenameAttributes(f *testing.F) {
	for _, p := range []string{"../../examples/macros/describe.rs", "../../examples/macros/traced.rs",
		"../../examples/macros/sum.rs", "../../examples/config/field_names.rs", "../../examples/derives/named.rs",
		"/usr/share/cargo/registry/derive_more-0.99.11/src/lib.rs", "/usr/share/cargo/registry/strum_macros-0.19.2/src/lib.rs",
		"/usr/share/cargo/registry/proc-macro-error-attr-1.0.3/src/lib.rs"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"#[proc_macro] pub fn m() {}",
		"#[proc_macro_derive(A, attributes(a, b,),)]\r\n/// d\n#[inline] pub fn r#a() {}\n",
		"const S: &str = r##\"#[proc_macro]\"#\"##; #[proc_macro_attribute] pub fn x() { '{'; b'\\''; }",
		"/* /* */ */ fn f<'a>(_: &'a str) {} #[r#proc_macro] pub fn y() {}",
		"mod m { #[proc_macro] pub fn m() {} }",
		"#[cfg_attr(x, proc_macro, cfg_attr(y, proc_macro_derive(A)))] pub fn z() {}",
		"#[cfg_attr(proc_macro, proc_macro::x)] #![proc_macro] use proc_macro::T;",
		"m! { #[proc_macro] pub fn q() {} } #[::proc_macro] pub fn n() {}",
		"macro_rules! d { ($t:ident) => { #[proc_macro_derive($t)] pub fn f() {} } }",
		"#[proc_macro]\nextern crate rules_rustc_wasm_attrs;",
		"#!/bin/x\n#[proc_macro]",
	} {
		f.Add([]byte(s))
	}
	errorForm := regexp.MustCompile(`^fuzz\.rs(:[0-9]+:[0-9]+: | declares no proc macro)`)
	f.Fuzz(func(t *testing.T, src []byte) {
		in := append([]byte(nil), src...)
		out, offs, leads, err := renameAttributesLeads("fuzz.rs", src, rootTestKey, "2021")
		if !bytes.Equal(in, src) {
			t.Fatal("the input was modified")
		}
		if err != nil {
			if !errorForm.MatchString(err.Error()) {
				t.Fatalf("error does not name the file and the place: %v", err)
			}
			return
		}
		renameTestCheckOutput(t, src, out, offs, leads, rootTestKey)
		// A renamed file is refused: it has the generated names.
		if _, err := RenameAttributes("fuzz.rs", out, rootTestKey, "2021"); err == nil || !strings.Contains(err.Error(), "rewritten already") {
			t.Fatalf("renaming the output again: %v", err)
		}
	})
}

// Example of the rename, for the reader.
func ExampleRenameAttributes() {
	out, _ := RenameAttributes("lib.rs", []byte("#[cfg_attr(feature = \"x\", proc_macro_derive(A))]\npub fn a(i: TokenStream) -> TokenStream { i }\n"), "lib-0123456789abcdef", "2021")
	fmt.Print(strings.SplitN(string(out), "\n", 3)[0])
	// Output: #[cfg_attr(feature = "x", rules_rustc_wasm_proc_macro_derive(A))]
}

// TestRenameAttributesEdition: from edition 2024 on, link_section is an
// unsafe attribute (rustc refuses it bare); before, rustc 1.63 cannot read
// the unsafe(...) form. A value that is no edition is refused, named.
func TestRenameAttributesEdition(t *testing.T) {
	src := []byte("#[proc_macro] pub fn m(i: TokenStream) -> TokenStream { i }\n")
	for edition, want := range map[string]string{
		"2015": "\n#[link_section = \"rules_rustc_wasm.macro\"]\n",
		"2021": "\n#[link_section = \"rules_rustc_wasm.macro\"]\n",
		"2024": "\n#[unsafe(link_section = \"rules_rustc_wasm.macro\")]\n",
	} {
		out, err := RenameAttributes("lib.rs", src, rootTestKey, edition)
		if err != nil {
			t.Fatalf("%s: %v", edition, err)
		}
		if !strings.Contains(string(out), want) || strings.Count(string(out), "link_section") != 1 {
			t.Errorf("edition %s: want %q once in\n%s", edition, want, out)
		}
	}
	_, err := RenameAttributes("lib.rs", src, rootTestKey, "2022")
	if err == nil || err.Error() != `lib.rs: edition "2022": want 2015, 2018, 2021 or 2024` {
		t.Fatalf("edition 2022: %v", err)
	}
}
