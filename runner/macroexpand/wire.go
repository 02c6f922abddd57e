package macroexpand

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"unicode/utf8"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// The wire between the runner and a macro module, both directions, in
// this file alone:
//
//   - the export that expands a macro (Entry);
//   - the guest request a module reads on stdin, and the response frame it
//     writes at the end of its stdout, in the format of
//     proc_macro_wasm/wire.rs (proc_macro_wasm/README.md, "Wire format"):
//     Request, DecodeOutput, splitFrame, requested;
//   - the frames of the socket between the shims inside a native rustc and
//     the runner (Server): readRequest, writeResponse.
//
// A native rustc's bridge writes requests and reads outputs itself (in
// Rust); the runner passes them on unchanged. The editor's server
// (runner/procmacrosrv) has no rustc: it writes requests and reads outputs
// here, from its own trees.

// EntryPrefix starts the name of the export that expands a macro:
// rules_rustc_wasm:<kind>:<name>, exported by the code that the attribute
// macros of rules_rustc_wasm_attrs put beside each macro function.
const EntryPrefix = "rules_rustc_wasm:"

// Entry is the export that expands the macro kind/name.
func Entry(kind macrobuild.Kind, name string) string {
	return EntryPrefix + string(kind) + ":" + name
}

// Status of an expansion, as the bridge in the shim reads it.
const (
	StatusOK     byte = 0 // Response.Payload is the guest's response
	StatusPanic  byte = 1 // the macro panicked; Response.Message is the panic's
	StatusFailed byte = 2 // the expansion failed: timeout, trap, unknown or foreign module
)

// requestMagic starts a guest request; requestVersion follows it.
const (
	requestMagic   = "RRWM"
	requestVersion = 1
)

// frameEnd closes the response frame at the end of the guest's stdout.
const frameEnd = "RRWM-END"

// MaxDepth bounds how deeply groups may nest, as the guest's decoder does
// (wire.rs MAX_DEPTH).
const MaxDepth = 512

// TreeKind says what a Tree is; its value is the tree's tag on the wire.
type TreeKind uint8

const (
	TreeGroup   TreeKind = 0
	TreeIdent   TreeKind = 1
	TreePunct   TreeKind = 2
	TreeLiteral TreeKind = 3
	// TreeInputGroup, in an output only, puts back the input group
	// Tree.Index exactly as the request gave it.
	TreeInputGroup TreeKind = 4
)

// Delim is a group's delimiter, as the wire numbers them.
type Delim uint8

const (
	DelimParen   Delim = 0
	DelimBrace   Delim = 1
	DelimBracket Delim = 2
	DelimNone    Delim = 3 // an invisible group
)

// Tree is one token tree on the wire. Span ids index the expansion's span
// table: ids 0 to Request.Spans-1 are the request's, then an output's
// derived spans (DerivedSpan) follow.
type Tree struct {
	Kind TreeKind
	// Span is a leaf's span; a group's, the whole group's.
	Span uint32
	// Groups in a request: the spans of the delimiters.
	Open, Close uint32
	// TreeInputGroup: the input group put back. Request groups are
	// numbered by Request.Encode.
	Index uint32
	Delim Delim  // groups
	Trees []Tree // groups
	Text  string // identifiers: the name without "r#"; literals: the source text ("1u8", "\"a\\n\"")
	Raw   bool   // identifiers
	Char  rune   // punctuation
	Joint bool   // punctuation
}

// Request is a guest request: which macro, and its input.
type Request struct {
	Kind macrobuild.Kind
	Name string
	// Spans is the number of span ids the request uses: 0 is
	// Span::call_site(), 1 Span::mixed_site(), the rest the input's.
	Spans uint32
	// Attr is an attribute macro's arguments (attribute macros only);
	// Input is the input, or an attribute macro's item.
	Attr, Input []Tree
}

// Encode writes the request, numbering its groups in the order they
// appear (preorder, Attr first), and returns the groups by their number,
// for the output's TreeInputGroup trees.
func (r Request) Encode() (request []byte, groups []Tree) {
	var body []byte
	if r.Kind == macrobuild.KindAttr {
		body = append(body, 1)
		body = encodeStream(body, r.Attr, &groups)
	} else {
		body = append(body, 0)
	}
	body = encodeStream(body, r.Input, &groups)
	b := []byte(requestMagic)
	b = binary.LittleEndian.AppendUint32(b, requestVersion)
	b = appendStr(b, []byte(r.Kind))
	b = appendStr(b, []byte(r.Name))
	b = binary.LittleEndian.AppendUint32(b, r.Spans)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(groups)))
	return append(b, body...), groups
}

func encodeStream(b []byte, stream []Tree, groups *[]Tree) []byte {
	u32 := binary.LittleEndian.AppendUint32
	b = u32(b, uint32(len(stream)))
	for _, t := range stream {
		b = append(b, byte(t.Kind))
		switch t.Kind {
		case TreeGroup:
			index := uint32(len(*groups))
			*groups = append(*groups, t)
			b = append(b, byte(t.Delim))
			b = u32(u32(u32(u32(b, t.Span), t.Open), t.Close), index)
			b = encodeStream(b, t.Trees, groups)
		case TreeIdent:
			b = append(u32(b, t.Span), flag(t.Raw))
			b = appendStr(b, []byte(t.Text))
		case TreePunct:
			b = append(u32(u32(b, t.Span), uint32(t.Char)), flag(t.Joint))
		case TreeLiteral:
			b = appendStr(u32(b, t.Span), []byte(t.Text))
		default:
			panic(fmt.Sprintf("a request cannot hold a tree of kind %d", t.Kind))
		}
	}
	return b
}

func flag(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// SpanOp derives a span of an output from two defined before it (wire.rs
// SpanOp).
type SpanOp uint8

const (
	SpanResolvedAt SpanOp = 0 // a.resolved_at(b)
	SpanLocatedAt  SpanOp = 1 // a.located_at(b)
	SpanJoin       SpanOp = 2 // a.join(b)
)

// DerivedSpan is one span an output defines: its id is the request's
// span count plus its place in Output.Derived.
type DerivedSpan struct {
	Op   SpanOp
	A, B uint32
}

// Output is what a macro returned: the spans it derived, then its trees.
type Output struct {
	Derived []DerivedSpan
	Trees   []Tree
}

// DecodeOutput reads a status-0 payload (after its status byte) of the
// request that had spans span ids and the input groups groups, checking
// what the wire promises: lengths against the bytes left, UTF-8, flags,
// delimiters, characters, nesting up to MaxDepth, every span id and input
// group defined, and nothing after the stream. maxTrees bounds the trees
// of the output, an input group counted by its size, so that neither
// decoding nor what the caller builds from it grows past it.
func DecodeOutput(p []byte, spans uint32, groups []Tree, maxTrees int) (Output, error) {
	r := &reader{b: p}
	n := r.u32()
	if r.err == nil && uint64(n)*9 > uint64(len(r.b)) {
		return Output{}, fmt.Errorf("%d derived spans in a response of %d bytes", n, len(p))
	}
	var out Output
	defined := uint64(spans)
	for i := uint32(0); i < n && r.err == nil; i++ {
		op, a, b := r.u8(), r.u32(), r.u32()
		if r.err != nil {
			break
		}
		if uint64(a) >= defined || uint64(b) >= defined {
			return Output{}, fmt.Errorf("derived span %d names span %d or %d, not defined before it", i, a, b)
		}
		if SpanOp(op) > SpanJoin {
			return Output{}, fmt.Errorf("derived span %d: bad operation %d", i, op)
		}
		out.Derived = append(out.Derived, DerivedSpan{Op: SpanOp(op), A: a, B: b})
		defined++
	}
	d := outputDecoder{r: r, spans: defined, groups: groups, sizes: make([]int, len(groups)), max: maxTrees}
	out.Trees = d.stream(0)
	if r.err != nil {
		return Output{}, r.err
	}
	if len(r.b) != 0 {
		return Output{}, fmt.Errorf("%d bytes after the output stream", len(r.b))
	}
	return out, nil
}

// outputDecoder reads an output's trees.
type outputDecoder struct {
	r      *reader
	spans  uint64 // span ids defined
	groups []Tree
	sizes  []int // trees in each input group, itself included; 0 until needed
	trees  int   // trees so far
	max    int
}

func (d *outputDecoder) stream(depth int) []Tree {
	r := d.r
	if depth > MaxDepth {
		r.fail("groups nest more than %d deep", MaxDepth)
		return nil
	}
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.b)) {
		r.fail("a stream of %d trees in %d bytes", n, len(r.b))
	}
	var out []Tree
	for i := uint32(0); i < n && r.err == nil; i++ {
		tag := TreeKind(r.u8())
		if d.trees++; d.trees > d.max {
			r.fail("the output has more than %d trees", d.max)
			break
		}
		t := Tree{Kind: tag}
		switch tag {
		case TreeGroup:
			delim := r.u8()
			t.Span = d.span()
			t.Trees = d.stream(depth + 1)
			if delim > byte(DelimNone) {
				r.fail("bad delimiter %d", delim)
			}
			t.Delim = Delim(delim)
		case TreeIdent:
			t.Span = d.span()
			t.Raw = r.flag("raw")
			t.Text = r.str()
		case TreePunct:
			t.Span = d.span()
			ch := r.u32()
			t.Joint = r.flag("spacing")
			if ch > utf8.MaxRune || !utf8.ValidRune(rune(ch)) {
				r.fail("bad punctuation character %d", ch)
			}
			t.Char = rune(ch)
		case TreeLiteral:
			t.Span = d.span()
			t.Text = r.str()
		case TreeInputGroup:
			t.Index = r.u32()
			if r.err == nil && uint64(t.Index) >= uint64(len(d.groups)) {
				r.fail("input group %d does not exist", t.Index)
				break
			}
			if r.err == nil {
				if d.trees += d.size(t.Index) - 1; d.trees > d.max {
					r.fail("the output has more than %d trees", d.max)
				}
			}
		default:
			r.fail("bad tree tag %d", tag)
		}
		out = append(out, t)
	}
	return out
}

// span reads a span id, which must be defined.
func (d *outputDecoder) span() uint32 {
	id := d.r.u32()
	if d.r.err == nil && uint64(id) >= d.spans {
		d.r.fail("span id %d was never defined", id)
	}
	return id
}

// size is the number of trees in input group i, itself included.
func (d *outputDecoder) size(i uint32) int {
	if d.sizes[i] == 0 {
		d.sizes[i] = 1 + countTrees(d.groups[i].Trees)
	}
	return d.sizes[i]
}

// countTrees is the number of trees in stream, groups' contents included.
func countTrees(stream []Tree) int {
	n := len(stream)
	for _, t := range stream {
		n += countTrees(t.Trees)
	}
	return n
}

// splitFrame splits the guest's stdout into what the macro printed and
// the response payload before the closing frameEnd: payload, u32 its
// length, frameEnd.
func splitFrame(out []byte) (user, payload []byte, ok bool) {
	n := len(out)
	if n < 4+len(frameEnd) || string(out[n-len(frameEnd):]) != frameEnd {
		return out, nil, false
	}
	size := binary.LittleEndian.Uint32(out[n-len(frameEnd)-4:])
	body := n - len(frameEnd) - 4
	if uint64(size) > uint64(body) {
		return out, nil, false
	}
	return out[:body-int(size)], out[body-int(size) : body], true
}

// panicMessage reads the message of a status-1 payload (after its status
// byte).
func panicMessage(p []byte) (string, bool) {
	r := &reader{b: p}
	msg := r.bytes()
	return string(msg), r.err == nil
}

// requested reads which macro a request is for.
func requested(request []byte) (macrobuild.Kind, string, bool) {
	if len(request) < 8 || string(request[:4]) != requestMagic {
		return "", "", false
	}
	r := &reader{b: request[8:]}
	kind, name := r.bytes(), r.bytes()
	return macrobuild.Kind(kind), string(name), r.err == nil
}

// maxRequest bounds one request frame on the socket.
const maxRequest = 256 << 20

// readRequest reads one frame of the socket: u32 length, str key, the
// guest request.
func readRequest(rd io.Reader) (string, []byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(rd, hdr[:]); err != nil {
		return "", nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if n > maxRequest {
		return "", nil, fmt.Errorf("request of %d bytes", n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(rd, body); err != nil {
		return "", nil, err
	}
	r := &reader{b: body}
	key := r.bytes()
	if r.err != nil {
		return "", nil, errors.New("malformed request")
	}
	return string(key), r.b, nil
}

// writeResponse writes one frame of the socket: u32 length, u8 status,
// str stdout, then the payload (StatusOK) or str message.
func writeResponse(w io.Writer, r Response) error {
	// The parts go out as they are (writev on a socket), not copied into
	// one frame: stdout and the payload may be large.
	var tail []byte
	if r.Status != StatusOK {
		tail = appendStr(nil, []byte(r.Message))
	}
	hdr := make([]byte, 9)
	binary.LittleEndian.PutUint32(hdr, uint32(1+4+len(r.Stdout)+len(r.Payload)+len(tail)))
	hdr[4] = r.Status
	binary.LittleEndian.PutUint32(hdr[5:], uint32(len(r.Stdout)))
	parts := net.Buffers{hdr, r.Stdout}
	if r.Status == StatusOK {
		parts = append(parts, r.Payload)
	} else {
		parts = append(parts, tail)
	}
	_, err := parts.WriteTo(w)
	return err
}

// appendStr appends s as a str: u32 length, bytes.
func appendStr(b, s []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

// reader reads the wire's numbers and strings, remembering the first
// error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(format string, args ...interface{}) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
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

// bytes reads a str's bytes, whatever they are.
func (r *reader) bytes() []byte {
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(len(r.b)) {
		r.fail("a string of %d bytes in %d", n, len(r.b))
	}
	if r.err != nil {
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

// str reads a str, which must be UTF-8.
func (r *reader) str() string {
	s := r.bytes()
	if r.err == nil && !utf8.Valid(s) {
		r.fail("a string that is not UTF-8")
	}
	return string(s)
}
