package procmacrosrv

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// The guest's side of an expansion: the request its module reads on stdin
// and the response it writes, in the format of proc_macro_wasm/wire.rs
// (described in proc_macro_wasm/README.md, "Wire format"). The shim's bridge
// writes the same requests inside rustc; here the editor's trees take the
// place of rustc's.

// Delimiters as the wire numbers them.
var wireDelim = map[uint32]byte{delimParen: 0, delimBrace: 1, delimBracket: 2, delimInvisible: 3}

// guestCall is one expansion's tables: the client's span id of each guest
// span id, and the input groups by their index.
type guestCall struct {
	spans  []uint32 // guest id -> client id; 0 call site, 1 mixed site
	groups []tree
	sizes  []int // trees in each input group, itself included
	// trees counts the output's trees, an input group (tag 4) by its
	// size: a response that names one group many times is bounded too.
	trees int
}

// maxOutputTrees bounds the trees of one expansion's output (a variable
// for the tests).
var maxOutputTrees = 1 << 22

// countTrees is the number of trees in stream, groups' contents included.
func countTrees(stream []tree) int {
	n := len(stream)
	for _, t := range stream {
		if t.kind == treeGroup {
			n += countTrees(t.children)
		}
	}
	return n
}

// encodeRequest writes the guest request of the macro kind/name for input
// (and attrArgs, for attribute macros).
func (c *guestCall) encodeRequest(kind macrobuild.Kind, name string, attrArgs, input []tree, callSite, mixedSite uint32) []byte {
	c.spans = []uint32{callSite, mixedSite}
	var body []byte
	if kind == macrobuild.KindAttr {
		body = append(body, 1)
		body = c.encodeStream(body, attrArgs)
	} else {
		body = append(body, 0)
	}
	body = c.encodeStream(body, input)
	b := []byte("RRWM")
	b = putU32(b, 1)
	b = putStr(b, string(kind))
	b = putStr(b, name)
	b = putU32(b, uint32(len(c.spans)))
	b = putU32(b, uint32(len(c.groups)))
	return append(b, body...)
}

func (c *guestCall) span(client uint32) uint32 {
	c.spans = append(c.spans, client)
	return uint32(len(c.spans) - 1)
}

func (c *guestCall) encodeStream(b []byte, stream []tree) []byte {
	b = putU32(b, uint32(len(stream)))
	for _, t := range stream {
		switch t.kind {
		case treeGroup:
			index := uint32(len(c.groups))
			c.groups = append(c.groups, t)
			c.sizes = append(c.sizes, 1+countTrees(t.children))
			b = append(b, 0, wireDelim[t.delim])
			b = putU32(b, c.span(t.span)) // the whole group: where it opens
			b = putU32(b, c.span(t.span))
			b = putU32(b, c.span(t.close))
			b = putU32(b, index)
			b = c.encodeStream(b, t.children)
		case treeIdent:
			b = append(b, 1)
			b = putU32(b, c.span(t.span))
			raw := byte(0)
			if t.raw {
				raw = 1
			}
			b = append(b, raw)
			b = putStr(b, t.text)
		case treePunct:
			b = append(b, 2)
			b = putU32(b, c.span(t.span))
			b = putU32(b, uint32(t.ch))
			joint := byte(0)
			if t.joint {
				joint = 1
			}
			b = append(b, joint)
		case treeLiteral:
			b = append(b, 3)
			b = putU32(b, c.span(t.span))
			b = putStr(b, t.text)
		}
	}
	return b
}

// Span derivations a response may define (wire.rs SpanOp).
const (
	opResolvedAt = 0
	opLocatedAt  = 1
	opJoin       = 2
)

// decodeResponse reads the guest's status-0 payload (after its status
// byte) into the output stream, with the client's span ids.
//
// The client's spans are opaque ids, so a derived span must be one of
// them: a.resolved_at(b) takes b, whose hygiene it has, and
// a.located_at(b) takes a, for the same reason; name resolution in the
// editor then matches the compiler's, and only where the editor points may
// differ. A join is its first span, as in the build.
func (c *guestCall) decodeResponse(p []byte) ([]tree, error) {
	r := &reader{b: p}
	n := r.u32()
	if r.err == nil && uint64(n)*9 > uint64(len(r.b)) {
		return nil, fmt.Errorf("%d derived spans in a response of %d bytes", n, len(p))
	}
	for i := uint32(0); i < n && r.err == nil; i++ {
		op, a, b := r.u8(), r.u32(), r.u32()
		if r.err != nil {
			break
		}
		if uint64(a) >= uint64(len(c.spans)) || uint64(b) >= uint64(len(c.spans)) {
			return nil, fmt.Errorf("derived span %d names span %d or %d, not defined before it", i, a, b)
		}
		switch op {
		case opResolvedAt:
			c.spans = append(c.spans, c.spans[b])
		case opLocatedAt, opJoin:
			c.spans = append(c.spans, c.spans[a])
		default:
			return nil, fmt.Errorf("derived span %d: bad operation %d", i, op)
		}
	}
	stream := c.decodeStream(r, 0)
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d bytes after the output stream", len(r.b))
	}
	return stream, nil
}

func (c *guestCall) decodeStream(r *reader, depth int) []tree {
	if depth > maxDepth {
		r.fail("groups nest more than %d deep", maxDepth)
		return nil
	}
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.b)) {
		r.fail("a stream of %d trees in %d bytes", n, len(r.b))
	}
	var out []tree
	for i := uint32(0); i < n && r.err == nil; i++ {
		tag := r.u8()
		if c.trees++; c.trees > maxOutputTrees {
			r.fail("the output has more than %d trees", maxOutputTrees)
			break
		}
		switch tag {
		case 0:
			delim := r.u8()
			span := c.spanOf(r, r.u32())
			children := c.decodeStream(r, depth+1)
			d, ok := map[byte]uint32{0: delimParen, 1: delimBrace, 2: delimBracket, 3: delimInvisible}[delim]
			if !ok {
				r.fail("bad delimiter %d", delim)
			}
			out = append(out, tree{kind: treeGroup, span: span, close: span, delim: d, children: children})
		case 1:
			span := c.spanOf(r, r.u32())
			raw := r.flag("raw")
			name := r.str()
			if r.err == nil {
				r.failWith(checkIdent(name, raw))
			}
			out = append(out, tree{kind: treeIdent, span: span, raw: raw, text: name})
		case 2:
			span := c.spanOf(r, r.u32())
			ch := r.u32()
			joint := r.flag("spacing")
			if ch > utf8.MaxRune || !utf8.ValidRune(rune(ch)) {
				r.fail("bad punctuation character %d", ch)
			} else if r.err == nil {
				r.failWith(checkPunct(rune(ch)))
			}
			out = append(out, tree{kind: treePunct, span: span, ch: rune(ch), joint: joint})
		case 3:
			span := c.spanOf(r, r.u32())
			out = append(out, tree{kind: treeLiteral, span: span, text: r.str()})
		case 4:
			index := r.u32()
			if r.err == nil && uint64(index) >= uint64(len(c.groups)) {
				r.fail("input group %d does not exist", index)
				break
			}
			if r.err == nil {
				if c.trees += c.sizes[index] - 1; c.trees > maxOutputTrees {
					r.fail("the output has more than %d trees", maxOutputTrees)
					break
				}
				out = append(out, c.groups[index])
			}
		default:
			r.fail("bad tree tag %d", tag)
		}
	}
	return out
}

func (c *guestCall) spanOf(r *reader, id uint32) uint32 {
	if r.err == nil && uint64(id) >= uint64(len(c.spans)) {
		r.fail("span id %d was never defined", id)
		return 0
	}
	if r.err != nil {
		return 0
	}
	return c.spans[id]
}

// reader reads the wire's numbers and strings, remembering the first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...interface{}) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

// failWith remembers err, if it is the first.
func (r *reader) failWith(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *reader) u8() byte {
	if r.err != nil || len(r.b) < 1 {
		r.fail("the response ends early")
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return v
}

// flag reads a byte that must be 0 or 1.
func (r *reader) flag(what string) bool {
	v := r.u8()
	if v > 1 {
		r.fail("bad %s flag %d", what, v)
	}
	return v == 1
}

func (r *reader) u32() uint32 {
	if r.err != nil || len(r.b) < 4 {
		r.fail("the response ends early")
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) str() string {
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.b)) {
		r.fail("a string of %d bytes in %d", n, len(r.b))
	}
	if r.err != nil {
		return ""
	}
	s := r.b[:n]
	r.b = r.b[n:]
	if !utf8.Valid(s) {
		r.fail("a string that is not UTF-8")
	}
	return string(s)
}

func putU32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

func putStr(b []byte, s string) []byte { return append(putU32(b, uint32(len(s))), s...) }
