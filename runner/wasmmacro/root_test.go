package wasmmacro

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const rootTestKey = "demo-0123456789abcdef"

// rootTestMarked turns a source whose removed attributes are marked «like
// this» into the source and the spans RewriteRoot must blank.
func rootTestMarked(t testing.TB, marked string) ([]byte, []rootSpan) {
	t.Helper()
	var src []byte
	var spans []rootSpan
	open := -1
	for _, r := range marked {
		switch r {
		case '«':
			open = len(src)
		case '»':
			if open < 0 {
				t.Fatalf("unbalanced markers in %q", marked)
			}
			spans = append(spans, rootSpan{open, len(src)})
			open = -1
		default:
			src = append(src, string(r)...)
		}
	}
	return src, spans
}

// rootTestBlank is src with spans replaced as RewriteRoot must: spaces,
// except newlines and carriage returns.
func rootTestBlank(src []byte, spans []rootSpan) []byte {
	out := append([]byte(nil), src...)
	for _, s := range spans {
		for i := s.start; i < s.end; i++ {
			if out[i] != '\n' && out[i] != '\r' {
				out[i] = ' '
			}
		}
	}
	return out
}

// rootTestCheckOutput checks the invariants of any successful rewrite: the
// source part is the source with exactly the spans blanked, every span is
// an attribute `#...]`, the line count is kept, and the appended part is
// the generated block for decls.
func rootTestCheckOutput(t testing.TB, src, out []byte, decls []Decl, spans []rootSpan) {
	t.Helper()
	if len(out) < len(src) {
		t.Fatalf("output (%d bytes) is shorter than the source (%d bytes)", len(out), len(src))
	}
	if len(spans) != len(decls) {
		t.Fatalf("%d spans for %d decls", len(spans), len(decls))
	}
	prev := 0
	for _, s := range spans {
		if s.start < prev || s.end <= s.start || s.end > len(src) || src[s.start] != '#' || src[s.end-1] != ']' {
			t.Fatalf("bad span %v in %q", s, src)
		}
		prev = s.end
	}
	if want := rootTestBlank(src, spans); !bytes.Equal(out[:len(src)], want) {
		t.Fatalf("source part changed:\n got %q\nwant %q", out[:len(src)], want)
	}
	if bytes.Count(out[:len(src)], []byte("\n")) != bytes.Count(src, []byte("\n")) {
		t.Fatalf("line count changed")
	}
	rest := out[len(src):]
	if len(src) > 0 && src[len(src)-1] != '\n' {
		if len(rest) == 0 || rest[0] != '\n' {
			t.Fatalf("no newline added after a source that does not end in one")
		}
		rest = rest[1:]
	}
	if want := rootAppendix(decls, rootTestKey); string(rest) != want {
		t.Fatalf("appended part:\n%s\nwant\n%s", rest, want)
	}
	text := FormatDecls(decls)
	back, err := ParseDecls(text)
	if err != nil || !reflect.DeepEqual(back, decls) {
		t.Fatalf("decls %v do not round trip through %q: %v %v", decls, text, back, err)
	}
}

func rootTestBang(name string) Decl { return Decl{Kind: KindBang, Name: name, Function: name} }

func TestRewriteRootLexing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		marked string
		want   []Decl
	}{
		{"bang", "use proc_macro::TokenStream;\n«#[proc_macro]»\npub fn m(i: TokenStream) -> TokenStream { i }\n",
			[]Decl{rootTestBang("m")}},
		{"attr", "«#[proc_macro_attribute]» pub fn a(x: T, y: T) -> T { y }",
			[]Decl{{Kind: KindAttr, Name: "a", Function: "a"}}},
		{"derive", "«#[proc_macro_derive(Thing)]»\npub fn derive_thing(i: T) -> T { i }\n",
			[]Decl{{Kind: KindDerive, Name: "Thing", Function: "derive_thing"}}},
		{"derive attributes whitespace comments trailing commas",
			"«#[ proc_macro_derive (\n    Thing, // the trait\n    attributes ( a, /* b, c */ b, ),\n) ]»\r\npub fn t(i: T) -> T { i }\n",
			[]Decl{{Kind: KindDerive, Name: "Thing", Function: "t", Attributes: []string{"a", "b"}}}},
		{"derive empty attributes", "«#[proc_macro_derive(X, attributes())]» pub fn x(i: T) -> T { i }\n",
			[]Decl{{Kind: KindDerive, Name: "X", Function: "x"}}},
		{"space between # and [", "«# /* c */ [proc_macro]» pub fn m() {}\n", []Decl{rootTestBang("m")}},
		{"string", "const S: &str = \"#[proc_macro] pub fn s() {}\";\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"string escapes", `const S: &str = "\"#[proc_macro] pub fn s() {} \\";` + "\nconst E: &str = \"\\\\\";\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"multi-line string", "const S: &str = \"a\n#[proc_macro]\npub fn s() {}\n\";\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"raw string", "const S: &str = r\"#[proc_macro] pub fn s() {} \\\";\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"raw string hashes", "const S: &str = r##\"\"# #[proc_macro] pub fn s() {} }\"##;\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"raw string one hash", "const S: &str = r#\"x\"#;\n«#[proc_macro]» pub fn m() {}\n", []Decl{rootTestBang("m")}},
		{"byte strings", "const B: &[u8] = b\"#[proc_macro] \\\" {\";\nconst R: &[u8] = br#\"#[proc_macro]\"\"#;\nconst C: u8 = b'#';\nconst Q: u8 = b'\\'';\nconst Z: u8 = b'{';\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"line comments", "// #[proc_macro] pub fn c() {}\n/// #[proc_macro] pub fn d() {}\n//! #[proc_macro] {\n«#[proc_macro]» pub fn m() {} // {\n",
			[]Decl{rootTestBang("m")}},
		{"nested block comment", "/* /* #[proc_macro] pub fn c() {} */ #[proc_macro] pub fn d() {} { */\n/** #[proc_macro] */\n/*! */ /**/ /***/\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"comment ending in the file's last line", "«#[proc_macro]» pub fn m() {}\n// end", []Decl{rootTestBang("m")}},
		{"lifetimes", "fn f<'a>(x: &'a str) -> &'a str { x }\nstruct S<'a, 'b: 'a>(&'a &'b ());\nfn g() { 'outer: loop { break 'outer; } }\nstatic T: &'static str = \"\";\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"char literals", "fn f() -> [char; 11] { ['{', '}', '\\'', '\"', '\\u{1F600}', '😀', '\\n', '\\\\', 'a', '[', '#'] }\nfn g<'a>(_: &'a ()) -> char { 'a' }\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"char brace does not open a block", "const C: char = '{';\n«#[proc_macro]» pub fn m() {}\nconst D: char = '}';\n«#[proc_macro]» pub fn n() {}\n",
			[]Decl{rootTestBang("m"), rootTestBang("n")}},
		{"raw identifiers", "fn r#type() {}\nconst r#in: u8 = 1;\n«#[proc_macro]» pub fn r#match(i: T) -> T { i }\n«#[proc_macro_attribute]» pub fn r#traced(a: T, i: T) -> T { i }\n",
			[]Decl{{Kind: KindBang, Name: "match", Function: "r#match"}, {Kind: KindAttr, Name: "traced", Function: "r#traced"}}},
		{"other attributes and doc comments around", "#![allow(unused)]\n/// The macro.\n#[doc = \"#[proc_macro]\"]\n«#[proc_macro_attribute]»\n#[allow(clippy::all)]\n/// More doc.\n/** block doc */\n#[cfg(all())]\n#[cfg_attr(test, allow(dead_code))]\npub fn traced(a: T, i: T) -> T { i }\n",
			[]Decl{{Kind: KindAttr, Name: "traced", Function: "traced"}}},
		{"macro invocations are not declarations", "fn gen() -> T { quote! { #[proc_macro] pub fn g() {} } }\nmacro_rules! m { () => { #[proc_macro] pub fn g() {} }; }\nfoo::bar![#[proc_macro_derive(A)] pub fn f() {}];\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"numbers", "const F: f64 = 1.0e5 + 2.5E-3 + 0x7F_u8 as f64; fn r() { let _ = 1..2; let t = ((1, 2), 3); let _ = t.0.1; let _ = 1.max(2); }\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"unicode", "// é\nconst Ä: &str = \"ü\"; fn größe() {}\n«#[proc_macro_derive(Größe, attributes(maß))]» pub fn größe_ableiten(i: T) -> T { i }\n",
			[]Decl{{Kind: KindDerive, Name: "Größe", Function: "größe_ableiten", Attributes: []string{"maß"}}}},
		{"bom and crlf", "\ufeff//! doc\r\n«#[proc_macro]»\r\npub fn m() {}\r\n", []Decl{rootTestBang("m")}},
		{"shebang", "#!/usr/bin/env run\n«#[proc_macro]» pub fn m() {}\n", []Decl{rootTestBang("m")}},
		{"not a shebang", "#![allow(unused)]\n«#[proc_macro]» pub fn m() {}\n", []Decl{rootTestBang("m")}},
		{"proc_macro paths are not attributes", "extern crate proc_macro;\nuse proc_macro::TokenStream;\n#[proc_macro::x] fn y() {}\n«#[proc_macro]» pub fn m() {}\n",
			[]Decl{rootTestBang("m")}},
		{"all kinds", "«#[proc_macro_derive(Serialize, attributes(serde))]» pub fn ser(i: T) -> T { i }\n«#[proc_macro_derive(Deserialize, attributes(serde))]» pub fn de(i: T) -> T { i }\n«#[proc_macro_attribute]» pub fn traced(a: T, i: T) -> T { i }\n«#[proc_macro]» pub fn sum(i: T) -> T { i }\n",
			[]Decl{
				{Kind: KindDerive, Name: "Serialize", Function: "ser", Attributes: []string{"serde"}},
				{Kind: KindDerive, Name: "Deserialize", Function: "de", Attributes: []string{"serde"}},
				{Kind: KindAttr, Name: "traced", Function: "traced"},
				rootTestBang("sum"),
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, wantSpans := rootTestMarked(t, tc.marked)
			out, decls, spans, err := rootRewrite("x.rs", src, rootTestKey)
			if err != nil {
				t.Fatalf("RewriteRoot: %v", err)
			}
			if !reflect.DeepEqual(decls, tc.want) {
				t.Fatalf("decls = %#v, want %#v", decls, tc.want)
			}
			if !reflect.DeepEqual(spans, wantSpans) {
				t.Fatalf("spans = %v, want %v", spans, wantSpans)
			}
			rootTestCheckOutput(t, src, out, decls, spans)
			out2, decls2, err := RewriteRoot("x.rs", src, rootTestKey)
			if err != nil || !bytes.Equal(out2, out) || !reflect.DeepEqual(decls2, decls) {
				t.Fatalf("RewriteRoot differs from rootRewrite: %v", err)
			}
		})
	}
}

func TestRewriteRootPositions(t *testing.T) {
	src := []byte("use x;\r\n#[doc = \"a\"] #[proc_macro_derive(A, // c\r\n  attributes(h))] #[inline]\r\npub fn a() {}\r\n\t/* é */ #[proc_macro] pub fn b() {} const Z: u8 = 1;")
	out, decls, err := RewriteRoot("p.rs", src, rootTestKey)
	if err != nil {
		t.Fatal(err)
	}
	want := "use x;\r\n#[doc = \"a\"]                            \r\n                  #[inline]\r\npub fn a() {}\r\n\t/* é */               pub fn b() {} const Z: u8 = 1;"
	if got := string(out[:len(src)]); got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	if len(want) != len(src) {
		t.Fatal("test is wrong")
	}
	if !bytes.HasPrefix(out[len(src):], []byte("\n"+rootGeneratedMarker)) {
		t.Fatalf("appended part does not start with a newline and the marker: %q", out[len(src):])
	}
	srcLines := strings.Split(string(src), "\n")
	outLines := strings.Split(string(out), "\n")
	for i, line := range srcLines {
		if len(outLines[i]) != len(line) {
			t.Errorf("line %d has %d bytes, was %d", i+1, len(outLines[i]), len(line))
		}
	}
	if want := []Decl{{Kind: KindDerive, Name: "A", Function: "a", Attributes: []string{"h"}}, rootTestBang("b")}; !reflect.DeepEqual(decls, want) {
		t.Fatalf("decls = %v", decls)
	}
}

func TestRewriteRootAppendix(t *testing.T) {
	src := "#[proc_macro_derive(Name, attributes(attr1, attr2))] pub fn fn_name(i: T) -> T { i }\n#[proc_macro_attribute] pub fn r#name2(a: T, i: T) -> T { i }\n#[proc_macro] pub fn name3(i: T) -> T { i }\n"
	out, _, err := RewriteRoot("a.rs", []byte(src), "name-0123456789abcdef")
	if err != nil {
		t.Fatal(err)
	}
	want := `// Generated by rules_rustc_wasm: the proc macro declarations and the WebAssembly entry point.
#[doc(hidden)]
#[link_section = ".rustc_proc_macro_decls"]
#[used]
static __RULES_RUSTC_WASM_DECLS: [u8; 68] = *b"derive:Name:fn_name:attr1,attr2\nattr:name2:r#name2\nbang:name3:name3\n";
#[doc(hidden)]
#[link_section = "rules_rustc_wasm.macro"]
#[used]
static __RULES_RUSTC_WASM_KEY: [u8; 25] = *b"v1 name-0123456789abcdef\n";
fn main() {
    ::proc_macro::__rules_rustc_wasm::serve(&[
        ::proc_macro::__rules_rustc_wasm::Macro::Derive("Name", crate::fn_name),
        ::proc_macro::__rules_rustc_wasm::Macro::Attr("name2", crate::r#name2),
        ::proc_macro::__rules_rustc_wasm::Macro::Bang("name3", crate::name3),
    ])
}
`
	if got := string(out[len(src):]); got != want {
		t.Fatalf("appended:\n%s\nwant\n%s", got, want)
	}
	if n := len("derive:Name:fn_name:attr1,attr2\nattr:name2:r#name2\nbang:name3:name3\n"); n != 68 {
		t.Fatalf("test is wrong: %d", n)
	}
	if got := rootByteString("a\"\\\n\x00é\x7f"); got != `a\"\\\n\x00\xc3\xa9\x7f` {
		t.Fatalf("rootByteString = %s", got)
	}
}

func TestRewriteRootErrors(t *testing.T) {
	const fn = " pub fn f(i: T) -> T { i }\n"
	for _, tc := range []struct{ src, want string }{
		{"mod x {\n    #[proc_macro]" + fn + "}\n", "x.rs:2:5: #[proc_macro] is inside a block or module: proc macros must be at the crate root"},
		{"fn g() { #[proc_macro_derive(A)]" + fn + "}\n", "x.rs:1:10: #[proc_macro_derive] is inside a block or module: proc macros must be at the crate root"},
		{"impl S { #[proc_macro_attribute]" + fn + "}\n", "x.rs:1:10: #[proc_macro_attribute] is inside a block or module"},
		{"const C: char = '{';\nmod m { const D: char = '}'; #[proc_macro]" + fn + "}\n", "x.rs:2:30: #[proc_macro] is inside a block or module"},
		{"#[proc_macro] fn f() {}\n", "x.rs:1:1: #[proc_macro] must be on a `pub fn`, found `fn`"},
		{"#[proc_macro] pub(crate) fn f() {}\n", "x.rs:1:1: #[proc_macro] must be on a `pub fn`, found `pub(crate)`: a proc macro function must be fully public"},
		{"#[proc_macro] pub(super) fn f() {}\n", "found `pub(super)`"},
		{"#[proc_macro] pub unsafe fn f() {}\n", "x.rs:1:1: #[proc_macro] must be on a plain `pub fn`, found `pub` `unsafe`"},
		{"#[proc_macro] pub async fn f() {}\n", "found `pub` `async`"},
		{"#[proc_macro] pub const fn f() {}\n", "found `pub` `const`"},
		{"#[proc_macro] pub extern \"C\" fn f() {}\n", "found `pub` `extern`"},
		{"#[proc_macro] pub struct S;\n", "found `pub` `struct`"},
		{"#[proc_macro] struct S;\n", "must be on a `pub fn`, found `struct`"},
		{"#[proc_macro]\n#[inline]\n", "x.rs:1:1: #[proc_macro] must be on a `pub fn`, found the end of the file"},
		{"#[proc_macro] pub fn", "x.rs:1:1: #[proc_macro]: expected the function's name after `pub fn`, found the end of the file"},
		{"#[proc_macro] pub fn 1() {}", "expected the function's name after `pub fn`, found `1`"},
		{"\n\n#[proc_macro_derive]" + fn, "x.rs:3:1: #[proc_macro_derive] needs a trait name"},
		{"#[proc_macro_derive()]" + fn, "x.rs:1:1: #[proc_macro_derive] needs a trait name"},
		{"#[proc_macro_derive(,)]" + fn, "#[proc_macro_derive]: empty argument between commas"},
		{"#[proc_macro_derive(A,,)]" + fn, "#[proc_macro_derive]: empty argument between commas"},
		{"#[proc_macro_derive = \"A\"]" + fn, "#[proc_macro_derive] must be written #[proc_macro_derive(Trait)] or #[proc_macro_derive(Trait, attributes(a, b))]"},
		{"#[proc_macro_derive[A]]" + fn, "#[proc_macro_derive] must be written"},
		{"#[proc_macro_derive(A) x]" + fn, "#[proc_macro_derive] must be written"},
		{"#[proc_macro_derive(A B)]" + fn, "#[proc_macro_derive]: the trait name must be an identifier, found `A B`"},
		{"#[proc_macro_derive(\"A\")]" + fn, "the trait name must be an identifier, found `\"A\"`"},
		{"#[proc_macro_derive(a::B)]" + fn, "the trait name must be an identifier, found `a::B`"},
		{"#[proc_macro_derive(struct)]" + fn, "x.rs:1:1: #[proc_macro_derive]: trait name \"struct\" is not a Rust identifier"},
		{"#[proc_macro_derive(A, attributes)]" + fn, "#[proc_macro_derive]: expected attributes(a, b) after the trait name, found `attributes`"},
		{"#[proc_macro_derive(A, helpers(x))]" + fn, "expected attributes(a, b) after the trait name, found `helpers(x)`"},
		{"#[proc_macro_derive(A, attributes[x])]" + fn, "expected attributes(a, b) after the trait name, found `attributes[x]`"},
		{"#[proc_macro_derive(A, attributes(x), extra)]" + fn, "#[proc_macro_derive]: unexpected `extra` after the trait name and attributes(...)"},
		{"#[proc_macro_derive(A, attributes(x y))]" + fn, "#[proc_macro_derive]: a helper attribute must be an identifier, found `x y`"},
		{"#[proc_macro_derive(A, attributes(x,,))]" + fn, "#[proc_macro_derive]: empty helper attribute between commas"},
		{"#[proc_macro_derive(A, attributes(x, x))]" + fn, "#[proc_macro_derive]: helper attribute x is listed twice"},
		{"#[proc_macro(x)]" + fn, "x.rs:1:1: #[proc_macro] takes no arguments"},
		{"#[proc_macro_attribute = 1]" + fn, "#[proc_macro_attribute] takes no arguments"},
		{"#[proc_macro] pub fn sum() {}\n#[proc_macro_derive(sum)]" + fn, "x.rs:2:1: two macros named sum (the first at x.rs:1:1)"},
		{"#[proc_macro_derive(A)] pub fn a() {}\n  #[proc_macro_derive(A)] pub fn b() {}", "x.rs:2:3: two macros named A (the first at x.rs:1:1)"},
		{"#[proc_macro] pub fn r#m() {}\n#[proc_macro_attribute] pub fn m() {}", "x.rs:2:1: two macros named m"},
		{"#[proc_macro]\n#[doc = \"\"]\n#[proc_macro_attribute]" + fn, "x.rs:3:1: #[proc_macro] and #[proc_macro_attribute] on one function: a function can be only one proc macro"},
		{"#[::proc_macro_derive(A)]" + fn, "x.rs:1:1: #[::proc_macro_derive] is not supported: write #[proc_macro_derive]"},
		{"#[cfg_attr(feature = \"x\", proc_macro_derive(A))]" + fn, "x.rs:1:1: #[proc_macro_derive] inside #[cfg_attr(...)] is not supported: write it as its own attribute"},
		{"#[proc_macro]\n#[cfg_attr(all(), proc_macro)]" + fn, "x.rs:2:1: #[proc_macro] inside #[cfg_attr(...)] is not supported"},
		{"mod m { #[cfg_attr(all(), proc_macro)] fn f() {} }", "x.rs:1:9: #[proc_macro] inside #[cfg_attr(...)] is not supported"},
		{"#![proc_macro]\n", "x.rs:1:1: #![proc_macro] is an inner attribute: a proc macro is declared with #[proc_macro] on a pub fn"},
		{"#[proc_macro] pub fn KEY() {}", "x.rs:1:1: a macro cannot be named KEY: the generated shim crate uses that name"},
		{"#[proc_macro] pub fn r#crate() {}", "x.rs:1:1: #[proc_macro]: function \"r#crate\" is not a Rust identifier"},
		{"#[proc_macro]" + fn + "fn main() {}\n", "x.rs:2:1: the crate root defines fn main: the WebAssembly build of a proc-macro crate appends its own"},
		{"use proc_macro::TokenStream;\n// #[proc_macro]\nconst S: &str = \"#[proc_macro]\";\nmacro_rules! m { () => { #[proc_macro] pub fn f() {} } }\n",
			"x.rs declares no proc macro: is it the root of a proc-macro crate?"},
		{"", "x.rs declares no proc macro: is it the root of a proc-macro crate?"},
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
		{"#[proc_macro]" + fn + "// \xff\n", "x.rs:2:4: the file is not valid UTF-8"},
	} {
		_, _, err := RewriteRoot("x.rs", []byte(tc.src), rootTestKey)
		if err == nil {
			t.Errorf("RewriteRoot(%q) succeeded, want %q", tc.src, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("RewriteRoot(%q):\n got %q\nwant %q", tc.src, err, tc.want)
		}
	}
}

func TestRewriteRootBadKey(t *testing.T) {
	src := []byte("#[proc_macro] pub fn m() {}\n")
	for _, key := range []string{"", "a b", "k\"", "k\n", "é", "a/b"} {
		if _, _, err := RewriteRoot("x.rs", src, key); err == nil || !strings.Contains(err.Error(), "macro key") {
			t.Errorf("RewriteRoot with key %q: %v, want a key error", key, err)
		}
	}
	if _, _, err := RewriteRoot("x.rs", src, "Az09_-"); err != nil {
		t.Errorf("key Az09_-: %v", err)
	}
}

func TestRewriteRootRealCrates(t *testing.T) {
	const examples = "../../examples/"
	for _, tc := range []struct {
		path string
		want []Decl
	}{
		{"/usr/share/cargo/registry/serde_derive-1.0.152/src/lib.rs", []Decl{
			{Kind: KindDerive, Name: "Serialize", Function: "derive_serialize", Attributes: []string{"serde"}},
			{Kind: KindDerive, Name: "Deserialize", Function: "derive_deserialize", Attributes: []string{"serde"}},
		}},
		{"/usr/share/cargo/registry/thiserror-impl-1.0.38/src/lib.rs", []Decl{
			{Kind: KindDerive, Name: "Error", Function: "derive_error", Attributes: []string{"backtrace", "error", "from", "source"}},
		}},
		{examples + "macros/describe.rs", []Decl{{Kind: KindDerive, Name: "Describe", Function: "derive_describe"}}},
		{examples + "macros/traced.rs", []Decl{{Kind: KindAttr, Name: "traced", Function: "traced"}}},
		{examples + "macros/sum.rs", []Decl{rootTestBang("sum")}},
		{examples + "config/field_names.rs", []Decl{{Kind: KindDerive, Name: "FieldNames", Function: "derive_field_names"}}},
	} {
		t.Run(strings.TrimPrefix(strings.TrimPrefix(tc.path, "/usr/share/cargo/registry/"), examples), func(t *testing.T) {
			src, err := os.ReadFile(tc.path)
			if os.IsNotExist(err) {
				t.Skipf("%s is absent", tc.path)
			}
			if err != nil {
				t.Fatal(err)
			}
			out, decls, spans, err := rootRewrite(tc.path, src, rootTestKey)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(decls, tc.want) {
				t.Fatalf("decls = %#v, want %#v", decls, tc.want)
			}
			rootTestCheckOutput(t, src, out, decls, spans)
			if bytes.Contains(out[:len(src)], []byte("#[proc_macro")) {
				t.Fatalf("a proc-macro attribute is left")
			}
		})
	}
}

// rootTestStub is a stand-in for the project's wasm proc_macro crate: just
// what the example macros use, and the serve entry point of the spec.
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
pub mod __rules_rustc_wasm {
    use super::TokenStream;
    pub enum Macro {
        Derive(&'static str, fn(TokenStream) -> TokenStream),
        Attr(&'static str, fn(TokenStream, TokenStream) -> TokenStream),
        Bang(&'static str, fn(TokenStream) -> TokenStream),
    }
    pub fn serve(macros: &[Macro]) {
        for m in macros {
            match m {
                Macro::Derive(n, f) | Macro::Bang(n, f) => { let _ = (n, f(TokenStream::new())); }
                Macro::Attr(n, f) => { let _ = (n, f(TokenStream::new(), TokenStream::new())); }
            }
        }
    }
}
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

// TestRewriteRootCompiles compiles rewritten roots for wasm32-wasi as bin
// crates against a stub proc_macro crate.
func TestRewriteRootCompiles(t *testing.T) {
	if _, err := os.Stat(rootTestRustc); err != nil {
		t.Skipf("%s is absent", rootTestRustc)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "stub.rs"), []byte(rootTestStub), 0o644); err != nil {
		t.Fatal(err)
	}
	rootTestRun(t, dir, "--edition", "2021", "--crate-type", "rlib", "--crate-name", "proc_macro",
		"--target", "wasm32-wasi", "-o", "libproc_macro.rlib", "stub.rs")

	synthetic := "//! All kinds, raw names, odd text.\n#![allow(dead_code)]\nuse proc_macro::TokenStream;\n" +
		"const S: &str = r#\"#[proc_macro] \"quoted\" \\ \"#;\nfn f<'a>(x: &'a str) -> char { let _ = x; '{' }\n" +
		"/// Derives it.\n#[proc_macro_derive(Größe, attributes(maß, helper,))]\n#[allow(unused)]\npub fn größe(i: TokenStream) -> TokenStream { i }\n" +
		"#[proc_macro_attribute] pub fn r#match(_a: TokenStream, i: TokenStream) -> TokenStream { i }\n" +
		"#[proc_macro]\r\npub fn r#async(i: TokenStream) -> TokenStream { i }\n" +
		"#[proc_macro] pub fn plain(i: TokenStream) -> TokenStream { i } // no final newline"
	for _, tc := range []struct{ name, path, src string }{
		{"sum", "../../examples/macros/sum.rs", ""},
		{"traced", "../../examples/macros/traced.rs", ""},
		{"synthetic", "", synthetic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := []byte(tc.src)
			if tc.path != "" {
				var err error
				if src, err = os.ReadFile(tc.path); err != nil {
					t.Skipf("%s: %v", tc.path, err)
				}
			}
			out, _, err := RewriteRoot(tc.name+".rs", src, tc.name+"-0123456789abcdef")
			if err != nil {
				t.Fatal(err)
			}
			name := tc.name + "_rewritten.rs"
			if err := os.WriteFile(filepath.Join(dir, name), out, 0o644); err != nil {
				t.Fatal(err)
			}
			rootTestRun(t, dir, "--edition", "2021", "--crate-type", "bin", "--crate-name", tc.name,
				"--target", "wasm32-wasi", "--extern", "proc_macro="+filepath.Join(dir, "libproc_macro.rlib"),
				"-L", dir, "-D", "warnings", "-o", tc.name+".wasm", name)
			wasm, err := os.ReadFile(filepath.Join(dir, tc.name+".wasm"))
			if err != nil {
				t.Fatal(err)
			}
			// The sections survive linking, byte for byte.
			for _, s := range []string{".rustc_proc_macro_decls", "rules_rustc_wasm.macro", "v1 " + tc.name + "-0123456789abcdef\n"} {
				if !bytes.Contains(wasm, []byte(s)) {
					t.Errorf("%s.wasm does not contain %q", tc.name, s)
				}
			}
			if tc.name == "synthetic" {
				want := "derive:Größe:größe:maß,helper\nattr:match:r#match\nbang:async:r#async\nbang:plain:plain\n"
				if !bytes.Contains(wasm, []byte(want)) {
					t.Errorf("synthetic.wasm does not contain the declarations %q", want)
				}
			}
		})
	}
}

func FuzzRewriteRoot(f *testing.F) {
	for _, p := range []string{"../../examples/macros/describe.rs", "../../examples/macros/traced.rs",
		"../../examples/macros/sum.rs", "../../examples/config/field_names.rs"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"#[proc_macro] pub fn m() {}",
		"#[proc_macro_derive(A, attributes(a, b,),)]\r\n/// d\n#[inline] pub fn r#a() {}\n",
		"const S: &str = r##\"#[proc_macro]\"#\"##; #[proc_macro_attribute] pub fn x() { '{'; b'\\''; }",
		"/* /* */ */ fn f<'a>(_: &'a str) {} #[proc_macro] pub fn y() {}",
		"mod m { #[proc_macro] pub fn m() {} }",
		"#[cfg_attr(x, proc_macro)] pub fn z() {}",
		"m! { #[proc_macro] pub fn q() {} } #[proc_macro] pub fn n() {}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		in := append([]byte(nil), src...)
		out, decls, spans, err := rootRewrite("fuzz.rs", src, rootTestKey)
		if !bytes.Equal(in, src) {
			t.Fatal("the input was modified")
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.rs") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if len(decls) == 0 {
			t.Fatal("success without a declaration")
		}
		rootTestCheckOutput(t, src, out, decls, spans)
	})
}
