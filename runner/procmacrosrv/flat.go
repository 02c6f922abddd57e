package procmacrosrv

import (
	"fmt"
	"unicode/utf8"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// Protocol versions of rust-analyzer's proc-macro server protocol that
// change what is on the wire (proc-macro-api's `version` module).
const (
	versionCloseSpan    = 2 // subtrees carry their close span
	versionGlobalSpans  = 3 // requests carry def_site, call_site, mixed_site
	versionSpanMode     = 4 // the client may ask for its own span mode with SetConfig
	versionExtendedLeaf = 5 // literals carry kind and suffix, identifiers their rawness
	versionHashedAstID  = 6 // the client's span anchors changed; nothing here
)

// APIVersion is the protocol version the server speaks: rust-analyzer
// encodes its requests for it and decodes the responses with it.
const APIVersion = versionHashedAstID

// Delimiter kinds as the protocol numbers them.
const (
	delimInvisible uint32 = 0
	delimParen     uint32 = 1
	delimBrace     uint32 = 2
	delimBracket   uint32 = 3
)

// Tags of token_tree entries: index<<2 | tag.
const (
	tagSubtree uint32 = 0
	tagLiteral uint32 = 1
	tagPunct   uint32 = 2
	tagIdent   uint32 = 3
)

// flatTree is the protocol's serialisation of a token tree: flat arrays of
// numbers, subtrees in breadth-first order with the top one first.
type flatTree struct {
	Subtree   []uint32 `json:"subtree"`
	Literal   []uint32 `json:"literal"`
	Punct     []uint32 `json:"punct"`
	Ident     []uint32 `json:"ident"`
	TokenTree []uint32 `json:"token_tree"`
	Text      []string `json:"text"`
}

// treeKind says what a tree is.
type treeKind uint8

const (
	treeGroup treeKind = iota
	treeIdent
	treePunct
	treeLiteral
)

// tree is a token tree with the client's span ids.
type tree struct {
	kind treeKind
	span uint32 // leaves: the token's span; groups: the open delimiter's
	// Groups.
	close    uint32
	delim    uint32
	children []tree
	// Identifiers: name without "r#"; literals: the source text
	// ("1u8", "\"a\\n\"", "r#\"x\"#").
	text string
	raw  bool
	// Punctuation.
	ch    rune
	joint bool
}

// widths of each record, by version.
func recordWidths(version uint32) (subtree, literal, ident int) {
	subtree, literal, ident = 4, 2, 2
	if version >= versionCloseSpan {
		subtree = 5
	}
	if version >= versionExtendedLeaf {
		literal, ident = 4, 3
	}
	return
}

// decodeFlat reads a flat tree written for version into its top subtree,
// checking every index, so that a malformed tree is an error, never a
// panic or a loop. Its identifiers and literals spend budget (nil: no
// bound), counted at each occurrence.
func decodeFlat(f *flatTree, version uint32, budget *textBudgetLeft) (tree, error) {
	sw, lw, iw := recordWidths(version)
	for _, c := range []struct {
		name  string
		n     int
		width int
	}{{"subtree", len(f.Subtree), sw}, {"literal", len(f.Literal), lw}, {"punct", len(f.Punct), 3}, {"ident", len(f.Ident), iw}} {
		if c.n%c.width != 0 {
			return tree{}, fmt.Errorf("%s: %d numbers, not a multiple of %d", c.name, c.n, c.width)
		}
	}
	nSub := len(f.Subtree) / sw
	if nSub == 0 {
		return tree{}, fmt.Errorf("subtree: no top subtree")
	}
	text := func(i uint32, what string) (string, error) {
		if uint64(i) >= uint64(len(f.Text)) {
			return "", fmt.Errorf("%s: text index %d out of range (%d strings)", what, i, len(f.Text))
		}
		return f.Text[i], nil
	}
	// leaf is record idx of table (width numbers a record), and its text,
	// the record's second number.
	leaf := func(table []uint32, width int, idx uint32, what string) ([]uint32, string, error) {
		if uint64(idx) >= uint64(len(table)/width) {
			return nil, "", fmt.Errorf("%s %d out of range", what, idx)
		}
		r := table[int(idx)*width : int(idx+1)*width]
		t, err := text(r[1], what)
		return r, t, err
	}
	// named[i] is set when subtree i is first named, so that every subtree
	// but the top one is named once, by a subtree before it: no cycles.
	// visited counts children over all subtrees: ranges that overlap would
	// let a short line name the same leaves many times over.
	named := make([]bool, nSub)
	visited := 0
	var build func(i int, depth int) (tree, error)
	build = func(i int, depth int) (tree, error) {
		// A request nests no deeper than the guest reads.
		if depth > macroexpand.MaxDepth {
			return tree{}, fmt.Errorf("groups nest more than %d deep", macroexpand.MaxDepth)
		}
		r := f.Subtree[i*sw : (i+1)*sw]
		g := tree{kind: treeGroup, span: r[0], close: r[0]}
		rest := r[1:]
		if sw == 5 {
			g.close = r[1]
			rest = r[2:]
		}
		g.delim = rest[0]
		if g.delim > delimBracket {
			return tree{}, fmt.Errorf("subtree %d: bad delimiter kind %d", i, g.delim)
		}
		lo, hi := rest[1], rest[2]
		if lo > hi || uint64(hi) > uint64(len(f.TokenTree)) {
			return tree{}, fmt.Errorf("subtree %d: children %d..%d out of range (%d entries)", i, lo, hi, len(f.TokenTree))
		}
		if visited += int(hi - lo); visited > len(f.TokenTree) {
			return tree{}, fmt.Errorf("subtree %d: children %d..%d overlap another subtree's", i, lo, hi)
		}
		for _, entry := range f.TokenTree[lo:hi] {
			idx := entry >> 2
			switch entry & 3 {
			case tagSubtree:
				if int(idx) <= i || int(idx) >= nSub || named[idx] {
					return tree{}, fmt.Errorf("subtree %d: child subtree %d is out of order, out of range or named twice", i, idx)
				}
				named[idx] = true
				child, err := build(int(idx), depth+1)
				if err != nil {
					return tree{}, err
				}
				g.children = append(g.children, child)
			case tagLiteral:
				r, t, err := leaf(f.Literal, lw, idx, "literal")
				if err != nil {
					return tree{}, err
				}
				if lw == 4 {
					suffix := ""
					if r[3] != ^uint32(0) {
						if suffix, err = text(r[3], "literal suffix"); err != nil {
							return tree{}, err
						}
					}
					n, err := literalTextLen(t, r[2], suffix)
					if err == nil {
						err = budget.spend(n) // before the text is built
					}
					if err != nil {
						return tree{}, err
					}
					if t, err = literalText(t, r[2], suffix); err != nil {
						return tree{}, err
					}
				} else if err := budget.spend(len(t)); err != nil {
					return tree{}, err
				}
				g.children = append(g.children, tree{kind: treeLiteral, span: r[0], text: t})
			case tagPunct:
				if uint64(idx) >= uint64(len(f.Punct)/3) {
					return tree{}, fmt.Errorf("punct %d out of range", idx)
				}
				r := f.Punct[int(idx)*3 : int(idx+1)*3]
				if r[1] > utf8.MaxRune || !utf8.ValidRune(rune(r[1])) || r[2] > 1 {
					return tree{}, fmt.Errorf("punct %d: bad character %d or spacing %d", idx, r[1], r[2])
				}
				g.children = append(g.children, tree{kind: treePunct, span: r[0], ch: rune(r[1]), joint: r[2] == 1})
			case tagIdent:
				r, t, err := leaf(f.Ident, iw, idx, "ident")
				if err != nil {
					return tree{}, err
				}
				if err := budget.spend(len(t)); err != nil {
					return tree{}, err
				}
				raw := false
				if iw == 3 {
					raw = r[2] == 1
				} else if len(t) > 2 && t[:2] == "r#" {
					t, raw = t[2:], true
				}
				g.children = append(g.children, tree{kind: treeIdent, span: r[0], text: t, raw: raw})
			}
		}
		return g, nil
	}
	return build(0, 0)
}

// encodeFlat writes the top subtree top for version, as rust-analyzer's
// reader expects it: subtrees breadth-first, strings shared.
func encodeFlat(top tree, version uint32) (*flatTree, error) {
	_, _, iw := recordWidths(version)
	f := &flatTree{Subtree: []uint32{}, Literal: []uint32{}, Punct: []uint32{}, Ident: []uint32{}, TokenTree: []uint32{}, Text: []string{}}
	strs := map[string]uint32{}
	intern := func(s string) uint32 {
		if i, ok := strs[s]; ok {
			return i
		}
		i := uint32(len(f.Text))
		f.Text = append(f.Text, s)
		strs[s] = i
		return i
	}
	type work struct {
		idx int
		g   *tree
	}
	var queue []work
	var records [][]uint32 // one a subtree; children range filled in later
	enqueue := func(g *tree) uint32 {
		idx := len(records)
		if version >= versionCloseSpan {
			records = append(records, []uint32{g.span, g.close, g.delim, 0, 0})
		} else {
			records = append(records, []uint32{g.span, g.delim, 0, 0})
		}
		queue = append(queue, work{idx, g})
		return uint32(idx)
	}
	enqueue(&top)
	for len(queue) > 0 {
		w := queue[0]
		queue = queue[1:]
		first := len(f.TokenTree)
		f.TokenTree = append(f.TokenTree, make([]uint32, len(w.g.children))...)
		r := records[w.idx]
		r[len(r)-2], r[len(r)-1] = uint32(first), uint32(first+len(w.g.children))
		for i := range w.g.children {
			c := &w.g.children[i]
			var entry uint32
			switch c.kind {
			case treeGroup:
				entry = enqueue(c)<<2 | tagSubtree
			case treeLiteral:
				entry = uint32(len(f.Literal)/literalWidth(version))<<2 | tagLiteral
				if version >= versionExtendedLeaf {
					sym, kind, suffix, err := splitLiteral(c.text)
					if err != nil {
						return nil, err
					}
					s := ^uint32(0)
					if suffix != "" {
						s = intern(suffix)
					}
					f.Literal = append(f.Literal, c.span, intern(sym), kind, s)
				} else {
					f.Literal = append(f.Literal, c.span, intern(c.text))
				}
			case treePunct:
				entry = uint32(len(f.Punct)/3)<<2 | tagPunct
				joint := uint32(0)
				if c.joint {
					joint = 1
				}
				f.Punct = append(f.Punct, c.span, uint32(c.ch), joint)
			case treeIdent:
				entry = uint32(len(f.Ident)/iw)<<2 | tagIdent
				switch {
				case iw == 3:
					raw := uint32(0)
					if c.raw {
						raw = 1
					}
					f.Ident = append(f.Ident, c.span, intern(c.text), raw)
				case c.raw:
					f.Ident = append(f.Ident, c.span, intern("r#"+c.text))
				default:
					f.Ident = append(f.Ident, c.span, intern(c.text))
				}
			}
			f.TokenTree[first+i] = entry
		}
	}
	for _, r := range records {
		f.Subtree = append(f.Subtree, r...)
	}
	return f, nil
}

func literalWidth(version uint32) int {
	_, lw, _ := recordWidths(version)
	return lw
}

// stream is the token stream a top subtree stands for: an invisible top
// subtree is its contents, any other is one group.
func (top tree) stream() []tree {
	if top.delim == delimInvisible {
		return top.children
	}
	return []tree{top}
}

// topOf is the top subtree of a macro's output stream: the stream's one
// group, or an invisible subtree at the call site around it.
func topOf(stream []tree, callSite uint32) tree {
	if len(stream) == 1 && stream[0].kind == treeGroup {
		return stream[0]
	}
	return tree{kind: treeGroup, span: callSite, close: callSite, delim: delimInvisible, children: stream}
}
