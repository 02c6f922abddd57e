package procmacrosrv

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// sample is `fn r#match(a: u8) -> &'static str { "x" }` with distinct spans.
func sample() tree {
	id := func(s uint32, text string, raw bool) tree {
		return tree{kind: treeIdent, span: s, text: text, raw: raw}
	}
	p := func(s uint32, ch rune, joint bool) tree { return tree{kind: treePunct, span: s, ch: ch, joint: joint} }
	return tree{kind: treeGroup, span: 1, close: 1, delim: delimInvisible, children: []tree{
		id(10, "fn", false), id(11, "match", true),
		{kind: treeGroup, span: 12, close: 13, delim: delimParen, children: []tree{id(14, "a", false), p(15, ':', false), id(16, "u8", false)}},
		p(17, '-', true), p(18, '>', false), p(19, '&', false), p(20, '\'', true), id(21, "static", false), id(22, "str", false),
		{kind: treeGroup, span: 23, close: 24, delim: delimBrace, children: []tree{
			{kind: treeLiteral, span: 25, text: `"x"`},
			{kind: treeGroup, span: 26, close: 27, delim: delimBracket, children: []tree{{kind: treeLiteral, span: 28, text: "1u8"}}},
		}},
	}}
}

func TestFlatRoundTripEveryVersion(t *testing.T) {
	for version := uint32(1); version <= APIVersion; version++ {
		want := sample()
		if version < versionCloseSpan { // the close span is not on the wire
			var drop func(g *tree)
			drop = func(g *tree) {
				g.close = g.span
				for i := range g.children {
					if g.children[i].kind == treeGroup {
						drop(&g.children[i])
					}
				}
			}
			drop(&want)
		}
		f, err := encodeFlat(sample(), version)
		if err != nil {
			t.Fatalf("version %d: encode: %v", version, err)
		}
		// Through JSON, as on the wire.
		line, _ := json.Marshal(f)
		var back flatTree
		if err := json.Unmarshal(line, &back); err != nil {
			t.Fatal(err)
		}
		got, err := decodeFlat(&back, version, nil)
		if err != nil {
			t.Fatalf("version %d: decode %s: %v", version, line, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("version %d: round trip of %s\ngot  %s\nwant %s", version, line, spelled(got), spelled(want))
		}
	}
}

// The layout rust-analyzer's reader expects: subtrees breadth-first, each
// text once, version 6's literal and ident records.
func TestEncodeFlatLayout(t *testing.T) {
	f, err := encodeFlat(sample(), APIVersion)
	if err != nil {
		t.Fatal(err)
	}
	line, _ := json.Marshal(f)
	// The top's leaves, then (a: u8), then { "x" [..] }, then [1u8]; the
	// suffix u8 shares the identifier's text.
	want := `{"subtree":[1,1,0,0,10,12,13,1,10,13,23,24,2,13,15,26,27,3,15,16],` +
		`"literal":[25,6,5,4294967295,28,7,3,5],"punct":[17,45,1,18,62,0,19,38,0,20,39,1,15,58,0],` +
		`"ident":[10,0,0,11,1,1,21,2,0,22,3,0,14,4,0,16,5,0],` +
		`"token_tree":[3,7,4,2,6,10,14,11,15,8,19,18,23,1,12,5],` +
		`"text":["fn","match","static","str","a","u8","x","1"]}`
	if string(line) != want {
		t.Errorf("got  %s\nwant %s", line, want)
	}
}

func TestDecodeFlatRejects(t *testing.T) {
	for _, c := range []struct{ json, err string }{
		{`{"subtree":[],"literal":[],"punct":[],"ident":[],"token_tree":[],"text":[]}`, "no top subtree"},
		{`{"subtree":[0,0,0,0],"literal":[],"punct":[],"ident":[],"token_tree":[],"text":[]}`, "not a multiple of 5"},
		{`{"subtree":[0,0,4,0,0],"literal":[],"punct":[],"ident":[],"token_tree":[],"text":[]}`, "bad delimiter kind 4"},
		{`{"subtree":[0,0,0,1,0],"literal":[],"punct":[],"ident":[],"token_tree":[],"text":[]}`, "children 1..0 out of range"},
		{`{"subtree":[0,0,0,0,1],"literal":[],"punct":[],"ident":[],"token_tree":[0],"text":[]}`, "child subtree 0 is out of order"},
		{`{"subtree":[0,0,0,0,2,0,0,1,2,2],"literal":[],"punct":[],"ident":[],"token_tree":[4,4],"text":[]}`, "child subtree 1 is out of order, out of range or named twice"},
		{`{"subtree":[0,0,0,0,1],"literal":[],"punct":[],"ident":[],"token_tree":[1],"text":[]}`, "literal 0 out of range"},
		{`{"subtree":[0,0,0,0,1],"literal":[],"punct":[],"ident":[],"token_tree":[2],"text":[]}`, "punct 0 out of range"},
		{`{"subtree":[0,0,0,0,1],"literal":[],"punct":[0,55296,0],"ident":[],"token_tree":[2],"text":[]}`, "bad character 55296"},
		{`{"subtree":[0,0,0,0,1],"literal":[],"punct":[0,61,2],"ident":[],"token_tree":[2],"text":[]}`, "spacing 2"},
		{`{"subtree":[0,0,0,0,1],"literal":[0,0,5,7],"punct":[],"ident":[],"token_tree":[1],"text":["x"]}`, "literal suffix: text index 7 out of range"},
		{`{"subtree":[0,0,0,0,1],"literal":[0,0,99,4294967295],"punct":[],"ident":[],"token_tree":[1],"text":["x"]}`, "bad kind 0x63"},
	} {
		var f flatTree
		if err := json.Unmarshal([]byte(c.json), &f); err != nil {
			t.Fatal(err)
		}
		if _, err := decodeFlat(&f, APIVersion, nil); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("decodeFlat(%s) = %v; want an error with %q", c.json, err, c.err)
		}
	}
}

// Groups nested deeper than the guest accepts are an error, not a stack
// overflow.
func TestDecodeFlatDepth(t *testing.T) {
	n := macroexpand.MaxDepth + 2
	f := flatTree{}
	for i := 0; i < n; i++ {
		lo, hi := uint32(i), uint32(i+1)
		if i == n-1 {
			hi = lo
		}
		f.Subtree = append(f.Subtree, 0, 0, delimParen, lo, hi)
		if i < n-1 {
			f.TokenTree = append(f.TokenTree, uint32(i+1)<<2|tagSubtree)
		}
	}
	if _, err := decodeFlat(&f, APIVersion, nil); err == nil || !strings.Contains(err.Error(), "nest more than") {
		t.Errorf("decodeFlat of %d nested groups = %v; want a depth error", n, err)
	}
}

// Subtrees whose child ranges overlap would let a short request name the
// same leaves over and over (a tree far larger than the line): refused.
func TestDecodeFlatOverlappingRanges(t *testing.T) {
	n := 2000
	f := flatTree{Ident: []uint32{0, 0, 0}, Text: []string{"x"}}
	// token_tree: n-1 subtree entries, then n leaves every subtree names.
	for i := 1; i < n; i++ {
		f.TokenTree = append(f.TokenTree, uint32(i)<<2|tagSubtree)
	}
	leaves := len(f.TokenTree)
	for i := 0; i < n; i++ {
		f.TokenTree = append(f.TokenTree, 0<<2|tagIdent)
	}
	f.Subtree = append(f.Subtree, 0, 0, delimParen, 0, uint32(len(f.TokenTree)))
	for i := 1; i < n; i++ {
		f.Subtree = append(f.Subtree, 0, 0, delimParen, uint32(leaves), uint32(len(f.TokenTree)))
	}
	if _, err := decodeFlat(&f, APIVersion, nil); err == nil || !strings.Contains(err.Error(), "overlap another subtree's") {
		t.Errorf("decodeFlat of %d subtrees over the same leaves = %v; want an overlap error", n, err)
	}
}

func FuzzDecodeFlat(f *testing.F) {
	f.Add([]byte(structFoo))
	f.Add([]byte(`{"subtree":[0,0,0,0,2,0,0,1,2,2],"literal":[],"punct":[],"ident":[],"token_tree":[4,4],"text":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var ft flatTree
		if json.Unmarshal(data, &ft) != nil {
			return
		}
		top, err := decodeFlat(&ft, APIVersion, nil)
		if err != nil {
			return
		}
		// What decodes encodes, and decodes to the same tree.
		again, err := encodeFlat(top, APIVersion)
		if err != nil {
			return // a literal that is not one (kind 0, the error kind)
		}
		back, err := decodeFlat(again, APIVersion, nil)
		if err != nil || !reflect.DeepEqual(back, top) {
			t.Fatalf("re-encoding %s: %v\n%s\n%s", data, err, spelled(top), spelled(back))
		}
	})
}
