package macroexpand

import (
	"errors"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// module builds a wasm binary with the custom sections given.
func module(sections ...[2]string) []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	for _, s := range sections {
		body := append([]byte{byte(len(s[0]))}, s[0]...)
		body = append(body, s[1]...)
		b = append(b, 0, byte(len(body)))
		b = append(b, body...)
	}
	return b
}

func TestParseModule(t *testing.T) {
	bin := module([2]string{"name", "x"}, [2]string{macrobuild.DeclsSection, "derive:Describe:derive_describe:a,b\n"}, [2]string{macrobuild.KeySection, "v1 describe-0123456789abcdef\n"})
	m, err := ParseModule("libdescribe.wasm", bin)
	if err != nil {
		t.Fatal(err)
	}
	if m.Key != "describe-0123456789abcdef" || len(m.Decls) != 1 || !m.Declares(macrobuild.KindDerive, "Describe") || m.Declares(macrobuild.KindBang, "Describe") {
		t.Errorf("got %+v", m)
	}
}

func TestParseModuleRefusesForeignModules(t *testing.T) {
	for name, bin := range map[string][]byte{
		"not wasm":          []byte("hello"),
		"no key":            module([2]string{macrobuild.DeclsSection, "bang:x:x\n"}),
		"no decls":          module([2]string{macrobuild.KeySection, "v1 x-0123456789abcdef\n"}),
		"bad decls":         module([2]string{macrobuild.DeclsSection, "nonsense\n"}, [2]string{macrobuild.KeySection, "v1 x-0123456789abcdef\n"}),
		"truncated section": append(module(), 0, 50, 1, 2),
	} {
		_, err := ParseModule("lib"+strings.ReplaceAll(name, " ", "_")+".wasm", bin)
		if !errors.Is(err, ErrNotOurs) || !strings.Contains(err.Error(), "is not a wasm proc-macro module built by rules_rustc_wasm") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
