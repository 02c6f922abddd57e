package procmacrosrv

import (
	"encoding/json"
	"fmt"
)

// request is one line of the protocol, decoded before anything runs: the
// variant, and what a ListMacros or ExpandMacro asks for. A request of a
// known variant that is malformed still gets an answer (the client waits
// for one): malformed is then the Err to give.
type request struct {
	variant   string
	malformed string
	dylibPath string     // ListMacros
	expand    *expansion // ExpandMacro
}

// expansion is an ExpandMacro request with its trees decoded.
type expansion struct {
	lib       string
	macroName string
	env       [][2]string // as the client sent it, names and values
	body      tree        // the top subtree of macro_body
	attrs     *tree       // the top subtree of attributes, if sent
	globals   expnGlobal
}

// expandRequest is an ExpandMacro request as it is on the wire.
type expandRequest struct {
	Lib            string      `json:"lib"`
	Env            [][]string  `json:"env"`
	CurrentDir     *string     `json:"current_dir"`
	MacroBody      *flatTree   `json:"macro_body"`
	MacroName      string      `json:"macro_name"`
	Attributes     *flatTree   `json:"attributes"`
	HasGlobalSpans *expnGlobal `json:"has_global_spans"`
}

type expnGlobal struct {
	DefSite   uint32 `json:"def_site"`
	CallSite  uint32 `json:"call_site"`
	MixedSite uint32 `json:"mixed_site"`
}

// The text a request's trees may carry, identifiers and literals counted
// at each occurrence: rust-analyzer writes each distinct string once and
// names it by index, so a short line could otherwise name one long string
// millions of times, and the guest request (which spells every occurrence
// out) would be that many times its size. Real code repeats short strings:
// textPerLineByte bytes for each byte of the line, and textBudgetFloor
// whatever the line, leave it room; textBudgetCeiling bounds it for any
// line (a macro's input is read into its memory, under the cap).
const (
	textPerLineByte   = 8
	textBudgetFloor   = 16 << 20
	textBudgetCeiling = 256 << 20
)

// textBudget is the text a request line of n bytes may carry.
func textBudget(n int) *textBudgetLeft {
	max := min(textBudgetFloor+textPerLineByte*n, textBudgetCeiling)
	return &textBudgetLeft{line: n, max: max, left: max}
}

// decodeRequest decodes one request line. ok is false for a line that is
// no request at all (not a JSON object of one key, or a variant the
// protocol does not have): there is no answer to give it.
func decodeRequest(line []byte) (req request, ok bool) {
	var msg map[string]json.RawMessage
	if err := json.Unmarshal(line, &msg); err != nil || len(msg) != 1 {
		return request{}, false
	}
	for variant, body := range msg {
		req.variant = variant
		switch variant {
		case "ApiVersionCheck", "SetConfig":
		case "ListMacros":
			var lm struct {
				DylibPath *string `json:"dylib_path"`
			}
			if err := json.Unmarshal(body, &lm); err != nil || lm.DylibPath == nil {
				req.malformed = "malformed ListMacros request: " + clip(body)
			} else {
				req.dylibPath = *lm.DylibPath
			}
		case "ExpandMacro":
			e, err := decodeExpansion(body, textBudget(len(line)))
			if err != nil {
				req.malformed = err.Error()
			}
			req.expand = e
		default:
			return req, false
		}
	}
	return req, true
}

// decodeExpansion decodes the body of an ExpandMacro request, its trees'
// text spending budget.
func decodeExpansion(body []byte, budget *textBudgetLeft) (*expansion, error) {
	var em expandRequest
	if err := json.Unmarshal(body, &em); err != nil {
		return nil, fmt.Errorf("malformed ExpandMacro request: %v", err)
	}
	if em.MacroBody == nil {
		return nil, fmt.Errorf("malformed ExpandMacro request: no macro_body")
	}
	if em.HasGlobalSpans == nil {
		return nil, fmt.Errorf("malformed ExpandMacro request: no has_global_spans (the client speaks a protocol older than version %d)", versionGlobalSpans)
	}
	e := &expansion{lib: em.Lib, macroName: em.MacroName, globals: *em.HasGlobalSpans}
	for _, kv := range em.Env {
		if len(kv) != 2 {
			return nil, fmt.Errorf("malformed ExpandMacro request: env entry %q is not a name and a value", kv)
		}
		e.env = append(e.env, [2]string{kv[0], kv[1]})
	}
	body0, err := decodeFlat(em.MacroBody, APIVersion, budget)
	if err != nil {
		return nil, fmt.Errorf("malformed macro_body: %v", err)
	}
	e.body = body0
	if em.Attributes != nil {
		a, err := decodeFlat(em.Attributes, APIVersion, budget)
		if err != nil {
			return nil, fmt.Errorf("malformed attributes: %v", err)
		}
		e.attrs = &a
	}
	return e, nil
}

// textBudgetLeft is what remains of a request's text budget, shared by
// its trees.
type textBudgetLeft struct {
	line      int // the request line's length
	max, left int
}

// spend takes n bytes of text from the budget, or fails.
func (b *textBudgetLeft) spend(n int) error {
	if b == nil {
		return nil
	}
	if n > b.left {
		return fmt.Errorf("identifiers and literals of more than %d bytes in all, for a request line of %d bytes (the same strings named over and over)", b.max, b.line)
	}
	b.left -= n
	return nil
}
