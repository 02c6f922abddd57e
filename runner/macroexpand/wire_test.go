package macroexpand

import (
	"bytes"
	"encoding/binary"
	"reflect"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

func TestSplitFrame(t *testing.T) {
	frame := func(user, payload string) []byte {
		b := append([]byte(user), payload...)
		b = append(b, byte(len(payload)), 0, 0, 0)
		return append(b, frameEnd...)
	}
	user, payload, ok := splitFrame(frame("printed\n", "\x00xyz"))
	if !ok || string(user) != "printed\n" || string(payload) != "\x00xyz" {
		t.Errorf("got %q %q %v", user, payload, ok)
	}
	for _, bad := range [][]byte{nil, []byte("no frame"), append([]byte{200, 0, 0, 0}, frameEnd...)} {
		if _, _, ok := splitFrame(bad); ok {
			t.Errorf("%q: a frame", bad)
		}
	}
}

// A request is spelled as wire.rs reads it: the header, then the
// attribute's arguments (attribute macros only), then the input, its
// groups numbered in preorder.
func TestRequestLayout(t *testing.T) {
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	str := func(s string) []byte { return appendStr(nil, []byte(s)) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	inner := Tree{Kind: TreeGroup, Span: 5, Open: 5, Close: 6, Delim: DelimParen}
	req := Request{Kind: macrobuild.KindAttr, Name: "wrap", Spans: 7,
		Attr: []Tree{{Kind: TreeIdent, Span: 2, Text: "verbose"}},
		Input: []Tree{
			{Kind: TreeGroup, Span: 3, Open: 3, Close: 4, Delim: DelimBrace, Trees: []Tree{inner}},
			{Kind: TreePunct, Span: 5, Char: ';', Joint: true},
			{Kind: TreeLiteral, Span: 6, Text: "1u8"},
			{Kind: TreeIdent, Span: 6, Text: "match", Raw: true},
		}}
	got, groups := req.Encode()
	want := cat([]byte("RRWM"), u32(1), str("attr"), str("wrap"), u32(7), u32(2),
		[]byte{1}, u32(1), []byte{1}, u32(2), []byte{0}, str("verbose"),
		u32(4),
		[]byte{0, 1}, u32(3), u32(3), u32(4), u32(0), u32(1),
		[]byte{0, 0}, u32(5), u32(5), u32(6), u32(1), u32(0),
		[]byte{2}, u32(5), u32(';'), []byte{1},
		[]byte{3}, u32(6), str("1u8"),
		[]byte{1}, u32(6), []byte{1}, str("match"))
	if !bytes.Equal(got, want) {
		t.Errorf("request\n got %v\nwant %v", got, want)
	}
	if len(groups) != 2 || !reflect.DeepEqual(groups[1], inner) || groups[0].Delim != DelimBrace {
		t.Errorf("groups %+v", groups)
	}
	kind, name, ok := requested(got)
	if !ok || kind != macrobuild.KindAttr || name != "wrap" {
		t.Errorf("requested: %q %q %v", kind, name, ok)
	}
}

// An output is read with every id checked, derived spans and input groups
// included; what is malformed is named.
func TestDecodeOutput(t *testing.T) {
	u32 := func(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	groups := []Tree{{Kind: TreeGroup, Delim: DelimParen, Trees: []Tree{{Kind: TreeIdent, Text: "a"}, {Kind: TreeIdent, Text: "b"}}}}
	good := cat(u32(1), []byte{0}, u32(0), u32(1), // span 2 = 0.resolved_at(1)
		u32(2), []byte{4}, u32(0), []byte{0, 2}, u32(2), u32(0))
	out, err := DecodeOutput(good, 2, groups, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := Output{Derived: []DerivedSpan{{Op: SpanResolvedAt, A: 0, B: 1}},
		Trees: []Tree{{Kind: TreeInputGroup, Index: 0}, {Kind: TreeGroup, Span: 2, Delim: DelimBracket}}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("got %+v\nwant %+v", out, want)
	}
	for _, c := range []struct {
		p    []byte
		max  int
		want string
	}{
		{cat(u32(1), []byte{0}, u32(0), u32(2), u32(0)), 100, "derived span 0 names span 0 or 2, not defined before it"},
		{cat(u32(1), []byte{3}, u32(0), u32(1), u32(0)), 100, "derived span 0: bad operation 3"},
		{cat(u32(0), u32(1), []byte{1}, u32(2), []byte{0}, u32(0)), 100, "span id 2 was never defined"},
		{cat(u32(0), u32(1), []byte{4}, u32(1)), 100, "input group 1 does not exist"},
		{cat(u32(0), u32(1), []byte{4}, u32(0)), 2, "the output has more than 2 trees"},
		{cat(u32(0), u32(1), []byte{1}, u32(0), []byte{2}, u32(0)), 100, "bad raw flag 2"},
		{cat(u32(0), u32(1), []byte{2}, u32(0), u32(0xd800), []byte{0}), 100, "bad punctuation character 55296"},
		{cat(u32(0), u32(1), []byte{0, 4}, u32(0), u32(0)), 100, "bad delimiter 4"},
		{cat(u32(0), u32(1), []byte{9}), 100, "bad tree tag 9"},
		{cat(u32(0), u32(0), []byte{0}), 100, "1 bytes after the output stream"},
		{cat(u32(0), u32(1), []byte{3}, u32(0), u32(1), []byte{0xff}), 100, "a string that is not UTF-8"},
		{cat(u32(0), u32(1), []byte{3}, u32(0)), 100, "the response ends early"},
	} {
		if _, err := DecodeOutput(c.p, 2, groups, c.max); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want %q", c.p, err, c.want)
		}
	}
	deep := u32(0)
	for i := 0; i <= MaxDepth+1; i++ {
		deep = cat(deep, u32(1), []byte{0, 0}, u32(0))
	}
	if _, err := DecodeOutput(deep, 2, nil, 1<<20); err == nil || !strings.Contains(err.Error(), "nest more than") {
		t.Errorf("groups nested %d deep: %v", MaxDepth+2, err)
	}
}
