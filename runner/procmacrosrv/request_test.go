package procmacrosrv

import (
	"fmt"
	"strings"
	"testing"
)

// A short request that names one long string over and over is refused
// before its trees are built: spelled out, as the guest request spells
// them, they would be many times the line.
func TestRequestTextIsBounded(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	for _, c := range []struct {
		name, records, record string
		tag                   uint32
	}{
		{"identifiers", `"literal":[],"ident":[%s]`, "4,0,0", tagIdent},
		{"literals", `"ident":[],"literal":[%s]`, "4,0,5,4294967295", tagLiteral},
	} {
		n := 2 * textBudgetFloor / len(long) // twice the budget's floor
		var records, entries []string
		for i := 0; i < n; i++ {
			records = append(records, c.record)
			entries = append(entries, fmt.Sprint(uint32(i)<<2|c.tag))
		}
		body := fmt.Sprintf(`{"subtree":[3,3,0,0,%d],`+c.records+`,"punct":[],"token_tree":[%s],"text":[%q]}`,
			n, strings.Join(records, ","), strings.Join(entries, ","), long)
		line := expandLine("/out/lib.wasm", "echo", body, "")
		req, ok := decodeRequest([]byte(line))
		if !ok || !strings.Contains(req.malformed, "malformed macro_body: identifiers and literals of more than") {
			t.Errorf("%s: %d of one %d-byte string in a line of %d bytes: %q; want it refused", c.name, n, len(long), len(line), req.malformed)
		}
	}
	// A string named a few times is what real code has.
	body := fmt.Sprintf(`{"subtree":[3,3,0,0,3],"literal":[4,0,5,4294967295],"punct":[],"ident":[4,0,0],"token_tree":[3,3,1],"text":[%q]}`, long)
	if req, ok := decodeRequest([]byte(expandLine("/out/lib.wasm", "echo", body, ""))); !ok || req.malformed != "" {
		t.Errorf("a string named three times: %q", req.malformed)
	}
}

// TestRequestTextHasACeiling: however long the line, a request carries at
// most textBudgetCeiling of text (8 bytes a byte of a 256 MiB line was
// 2 GiB).
func TestRequestTextHasACeiling(t *testing.T) {
	if got := textBudget(maxRequest).max; got != textBudgetCeiling {
		t.Errorf("a %d-byte line may carry %d bytes of text; want %d", maxRequest, got, textBudgetCeiling)
	}
}
