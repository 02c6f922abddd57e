package procmacrosrv

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// requestSeeds are request lines of the other tests: the variants
// rust-analyzer sends, each kind of macro, and malformed ones.
func requestSeeds() []string {
	const lib = "/out/libeditor.wasm"
	item := `{"subtree":[3,3,0,0,4,10,11,1,4,4,12,13,2,4,4],"literal":[],"punct":[],"ident":[4,0,0,5,1,0],"token_tree":[3,7,4,8],"text":["fn","f"]}`
	args := `{"subtree":[7,7,0,0,1],"literal":[],"punct":[],"ident":[8,0,0],"token_tree":[3],"text":["verbose"]}`
	literal := `{"subtree":[3,3,0,0,1],"literal":[4,0,5,4294967295],"punct":[],"ident":[],"token_tree":[1],"text":["/etc/passwd"]}`
	return []string{
		`{"ApiVersionCheck":{}}`,
		`{"SetConfig":{"span_mode":"Id"}}`,
		fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, lib),
		`{"ListMacros":{}}`,
		expandLine(lib, "echo", structFoo, ""),
		expandLine(lib, "wrap", item, args),
		expandLine(lib, "reads", literal, ""),
		`{"ExpandMacro":{"lib":3}}`,
		expandLine(lib, "echo", `{"subtree":[3,3,0,0,1,3,3,1,0,1],"literal":[],"punct":[],"ident":[],"token_tree":[4],"text":[]}`, ""),
		strings.Replace(expandLine(lib, "echo", structFoo, ""), `,"has_global_spans":{"def_site":0,"call_site":1,"mixed_site":2}`, "", 1),
		`{"Frobnicate":{}}`,
	}
}

// Whatever the line, decoding it neither panics nor builds more than the
// line allows: the guest request of what it decodes to is bounded by the
// line's length, whichever kind of macro it goes to.
func FuzzDecodeRequest(f *testing.F) {
	for _, s := range requestSeeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		req, ok := decodeRequest(line)
		if !ok || req.malformed != "" || req.expand == nil {
			return
		}
		e := req.expand
		// Per tree the guest request spells at most a group's 22 bytes
		// besides its text; every tree is an entry of the line.
		bound := textBudget(len(line)).max + 32*len(line) + 64
		for _, kind := range []macrobuild.Kind{macrobuild.KindDerive, macrobuild.KindAttr, macrobuild.KindBang} {
			var attrs []tree
			if e.attrs != nil {
				attrs = e.attrs.stream()
			}
			var call guestCall
			b := call.encodeRequest(kind, e.macroName, attrs, e.body.stream(), e.globals.CallSite, e.globals.MixedSite)
			if len(b) > bound {
				t.Fatalf("a line of %d bytes makes a guest request of %d bytes (bound %d)", len(line), len(b), bound)
			}
		}
	})
}
