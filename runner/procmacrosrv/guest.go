package procmacrosrv

import (
	"fmt"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// The editor's side of an expansion: its trees, with the client's span
// ids, become the guest request (macroexpand.Request, whose wire is in
// macroexpand/wire.go), and the guest's output becomes trees again. The
// shim's bridge does the same inside rustc, with rustc's trees.

// Delimiters between the protocol's numbers and the wire's.
var (
	wireDelim   = map[uint32]macroexpand.Delim{delimParen: macroexpand.DelimParen, delimBrace: macroexpand.DelimBrace, delimBracket: macroexpand.DelimBracket, delimInvisible: macroexpand.DelimNone}
	clientDelim = map[macroexpand.Delim]uint32{macroexpand.DelimParen: delimParen, macroexpand.DelimBrace: delimBrace, macroexpand.DelimBracket: delimBracket, macroexpand.DelimNone: delimInvisible}
)

// guestCall is one expansion's tables: the client's span id of each guest
// span id, and the request's input groups by their index.
type guestCall struct {
	spans  []uint32 // guest id -> client id; 0 call site, 1 mixed site
	groups []macroexpand.Tree
	put    map[uint32]tree // input groups put back, each converted once
}

// maxOutputTrees bounds the trees of one expansion's output (a variable
// for the tests).
var maxOutputTrees = 1 << 22

// encodeRequest writes the guest request of the macro kind/name for input
// (and attrArgs, for attribute macros).
func (c *guestCall) encodeRequest(kind macrobuild.Kind, name string, attrArgs, input []tree, callSite, mixedSite uint32) []byte {
	c.spans = []uint32{callSite, mixedSite}
	req := macroexpand.Request{Kind: kind, Name: name}
	if kind == macrobuild.KindAttr {
		req.Attr = c.wireStream(attrArgs)
	}
	req.Input = c.wireStream(input)
	req.Spans = uint32(len(c.spans))
	b, groups := req.Encode()
	c.groups = groups
	return b
}

func (c *guestCall) span(client uint32) uint32 {
	c.spans = append(c.spans, client)
	return uint32(len(c.spans) - 1)
}

// wireStream is stream on the wire, each token with a guest span id of
// its own.
func (c *guestCall) wireStream(stream []tree) []macroexpand.Tree {
	out := make([]macroexpand.Tree, 0, len(stream))
	for _, t := range stream {
		w := macroexpand.Tree{Span: c.span(t.span), Text: t.text}
		switch t.kind {
		case treeGroup:
			w.Kind, w.Delim = macroexpand.TreeGroup, wireDelim[t.delim]
			// The whole group's span: where it opens.
			w.Open, w.Close = w.Span, c.span(t.close)
			w.Trees = c.wireStream(t.children)
		case treeIdent:
			w.Kind, w.Raw = macroexpand.TreeIdent, t.raw
		case treePunct:
			w.Kind, w.Char, w.Joint = macroexpand.TreePunct, t.ch, t.joint
		case treeLiteral:
			w.Kind = macroexpand.TreeLiteral
		}
		out = append(out, w)
	}
	return out
}

// decodeResponse reads the guest's status-0 payload (after its status
// byte) into the output stream, with the client's span ids.
//
// The client's spans are opaque ids, so a derived span must be one of
// them: a.resolved_at(b) takes b, whose hygiene it has, and
// a.located_at(b) takes a, for the same reason; name resolution in the
// editor then matches the compiler's, and only where the editor points may
// differ. A join is its first span, as in the build.
func (c *guestCall) decodeResponse(p []byte) ([]tree, error) {
	out, err := macroexpand.DecodeOutput(p, uint32(len(c.spans)), c.groups, maxOutputTrees)
	if err != nil {
		return nil, err
	}
	for _, d := range out.Derived {
		if d.Op == macroexpand.SpanResolvedAt {
			c.spans = append(c.spans, c.spans[d.B])
		} else {
			c.spans = append(c.spans, c.spans[d.A])
		}
	}
	return c.clientStream(out.Trees, false)
}

// clientStream is a stream of the output, or of the request (input), as
// the client's trees, with the client's span ids. An output's tokens must
// be what rustc's proc_macro accepts (checkIdent, checkPunct); the input
// is the client's own.
func (c *guestCall) clientStream(stream []macroexpand.Tree, input bool) ([]tree, error) {
	out := make([]tree, 0, len(stream))
	for _, w := range stream {
		t := tree{span: c.spans[w.Span], text: w.Text}
		switch w.Kind {
		case macroexpand.TreeGroup:
			children, err := c.clientStream(w.Trees, input)
			if err != nil {
				return nil, err
			}
			t.kind, t.delim, t.children = treeGroup, clientDelim[w.Delim], children
			t.close = t.span // an output's group has one span
			if input {
				t.close = c.spans[w.Close]
			}
		case macroexpand.TreeIdent:
			if err := checkIdent(w.Text, w.Raw); err != nil && !input {
				return nil, err
			}
			t.kind, t.raw = treeIdent, w.Raw
		case macroexpand.TreePunct:
			if err := checkPunct(w.Char); err != nil && !input {
				return nil, err
			}
			t.kind, t.ch, t.joint = treePunct, w.Char, w.Joint
		case macroexpand.TreeLiteral:
			t.kind = treeLiteral
		case macroexpand.TreeInputGroup: // never in the input
			g, err := c.inputGroup(w.Index)
			if err != nil {
				return nil, err
			}
			t = g
		default:
			return nil, fmt.Errorf("a tree of kind %d in the output", w.Kind)
		}
		out = append(out, t)
	}
	return out, nil
}

// inputGroup is the request's input group i as the client gave it,
// converted once however often the output puts it back.
func (c *guestCall) inputGroup(i uint32) (tree, error) {
	if t, ok := c.put[i]; ok {
		return t, nil
	}
	g, err := c.clientStream(c.groups[i:i+1], true)
	if err != nil {
		return tree{}, err
	}
	if c.put == nil {
		c.put = map[uint32]tree{}
	}
	c.put[i] = g[0]
	return g[0], nil
}
