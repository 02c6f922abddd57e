package buildscript

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: whatever a script prints, the parser does not panic, reads
// the same whether the output comes at once or in pieces, and what it
// accepts stays one argument or one variable a line: UTF-8 without a
// control character, flags rustc knows, variable names that are names, no
// reserved name, each name once.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"cargo:rustc-cfg=a\ncargo::rustc-env=A=1\n",
		"cargo:rustc-flags=-l a -L /b\ncargo:rustc-link-lib=static=x\ncargo:rustc-link-search=native=/out_dir/x\n",
		"cargo:rustc-cfg=a\x1bb\ncargo:rustc-env=OUT_DIR=/etc\n",
		"cargo:rustc-env=RUSTC_BOOTSTRAP=1\r\n",
		"cargo:warning=\x07\ncargo::error=x\ncargo::metadata=k=v\n",
		"chatter\ncargo:rustc-check-cfg=cfg(x)\ncargo:rustc-env=A=1\ncargo:rustc-env=A=2",
		"cargo:rustc-env=\xff=1\n",
	} {
		f.Add([]byte(s), uint8(3), "wasm32-wasi")
	}
	f.Fuzz(func(t *testing.T, stdout []byte, chunk uint8, target string) {
		opt := ParseOptions{Target: target, Crate: "fuzzed", OutDir: "/out_dir", Final: "bazel-out/x.out_dir"}
		ins, err := Parse(stdout, opt)

		c := newCapture(true)
		n := int(chunk)%17 + 1
		for p := stdout; len(p) > 0; {
			k := min(n, len(p))
			c.Write(p[:k])
			p = p[k:]
		}
		lines, err2 := c.instructions()
		var ins2 *Instructions
		if err2 == nil {
			ins2, err2 = parseInstructions(lines, opt)
		}
		if (err == nil) != (err2 == nil) || err == nil && !reflect.DeepEqual(ins, ins2) {
			t.Fatalf("in pieces of %d: %+v %v; at once: %+v %v", n, ins2, err2, ins, err)
		}
		if err != nil {
			return
		}
		oneLine := func(what, s string) {
			if !utf8.ValidString(s) {
				t.Fatalf("%s %q is not UTF-8", what, s)
			}
			if r, _, ok := ControlChar(s); ok {
				t.Fatalf("%s %q holds U+%04X", what, s, r)
			}
		}
		for _, fl := range ins.Flags {
			oneLine("flag", fl)
			if !strings.HasPrefix(fl, "--cfg=") && !strings.HasPrefix(fl, "--check-cfg=") && !strings.HasPrefix(fl, "-l") && !strings.HasPrefix(fl, "-L") {
				t.Fatalf("flag %q", fl)
			}
			if strings.HasPrefix(target, "wasm32") && strings.HasPrefix(fl, "-l") {
				t.Fatalf("flag %q for %s", fl, target)
			}
		}
		seen := map[string]bool{}
		for _, e := range ins.Env {
			oneLine("env", e)
			name, _, ok := strings.Cut(e, "=")
			if !ok || !envName(name) || reservedEnv[name] != "" || seen[name] {
				t.Fatalf("env %q (%v)", e, ins.Env)
			}
			seen[name] = true
		}
	})
}
