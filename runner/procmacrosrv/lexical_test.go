package procmacrosrv

import (
	"encoding/binary"
	"strings"
	"testing"
)

// putU32 and putStr spell the wire's numbers and strings, as the guest
// writes them (proc_macro_wasm/wire.rs).
func putU32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

func putStr(b []byte, s string) []byte { return append(putU32(b, uint32(len(s))), s...) }

// guestResponse is a guest's status-0 payload with no derived spans and
// the trees given, each already on the wire.
func guestResponse(trees ...[]byte) []byte {
	b := putU32(nil, 0)
	b = putU32(b, uint32(len(trees)))
	for _, t := range trees {
		b = append(b, t...)
	}
	return b
}

func wireIdent(name string, raw bool) []byte {
	b := putU32([]byte{1}, 0)
	if raw {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	return putStr(b, name)
}

func wirePunct(ch rune) []byte {
	return append(putU32(putU32([]byte{2}, 0), uint32(ch)), 0)
}

// The output the build's bridge would panic on (Ident::new, new_raw and
// Punct::new) is refused here too, and what it takes is taken.
func TestOutputTokensAreWhatRustcAccepts(t *testing.T) {
	for _, c := range []struct {
		tree []byte
		err  string // "" when accepted
	}{
		{wireIdent("a", false), ""},
		{wireIdent("_", false), ""},
		{wireIdent("_x1", false), ""},
		{wireIdent("été", false), ""},
		{wireIdent("变量", false), ""},
		{wireIdent("a\u0301", false), ""}, // a combining mark continues one
		{wireIdent("$crate", false), ""},
		{wireIdent("match", true), ""},
		{wireIdent("a b", false), `"a b" as an identifier`},
		{wireIdent("", false), `"" as an identifier`},
		{wireIdent("1a", false), `"1a" as an identifier`},
		{wireIdent("'a", false), `"'a" as an identifier`},
		{wireIdent("r#x", false), `"r#x" as an identifier`},
		{wireIdent("a-b", false), `"a-b" as an identifier`},
		{wireIdent("\u0301a", false), "as an identifier"},
		{wireIdent("$crate", true), `"$crate" as an identifier`},
		{wireIdent("self", true), "r#self, which cannot be a raw identifier"},
		{wireIdent("_", true), "r#_, which cannot be a raw identifier"},
		{wirePunct('='), ""},
		{wirePunct('\''), ""},
		{wirePunct('$'), ""},
		{wirePunct('a'), `'a' as a punctuation character`},
		{wirePunct('('), `'(' as a punctuation character`},
		{wirePunct('€'), `'€' as a punctuation character`},
		{wirePunct(' '), `' ' as a punctuation character`},
	} {
		call := guestCall{spans: []uint32{clientCallSite, clientMixedSite}}
		_, err := call.decodeResponse(guestResponse(c.tree))
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%q: %v; want it accepted", c.tree, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%q: %v; want an error with %q", c.tree, err, c.err)
		}
	}
}

func TestPunctMessageNamesWhatIsAccepted(t *testing.T) {
	err := checkPunct('a')
	if err == nil || !strings.Contains(err.Error(), "accepts only = < > ! ~ + - * / % ^ & | @ . , ; : # $ ? '") {
		t.Errorf("checkPunct('a') = %v", err)
	}
}
