package engine

import (
	"context"
	"strings"
	"testing"
)

// TestCountsAreBoundedBeforeDecoding: counts wazero allocates by are
// checked against the bytes that would hold them. Before, each of these
// few-byte modules made wazero allocate gigabytes before it failed.
func TestCountsAreBoundedBeforeDecoding(t *testing.T) {
	header := "\x00asm\x01\x00\x00\x00"
	for name, c := range map[string]struct{ bin, want string }{
		// FuzzLoadModule's find: an export section claiming ~100M exports.
		"exports": {header + "\x07\x24\x9a\x9a\x9a\x30" + strings.Repeat("0", 32), "export section: declares more entries"},
		// A function body declaring 2^32-1 locals of one type.
		"locals": {header + "\x01\x04\x01\x60\x00\x00" + "\x03\x02\x01\x00" + "\x0a\x0b\x01\x09\x01\xff\xff\xff\xff\x0f\x7f\x0b\x00", "declares 4294967295 locals in"},
		// A function type claiming 2^32-1 parameters (the process died).
		"params": {header + "\x01\x07\x01\x60\xff\xff\xff\xff\x0f", "type section: declares more entries"},
		// A module name claiming 4 GiB.
		"module name": {header + "\x00\x0d\x04name\x00\x06\xff\xff\xff\xff\x0f\x00", "name section: declares more entries"},
		// A data segment claiming 4 GiB of bytes.
		"data": {header + "\x05\x03\x01\x00\x01" + "\x0b\x0b\x01\x00\x41\x00\x0b\xff\xff\xff\xff\x0f\x00", "data section: declares more entries"},
		// A name section's function names claiming 2^32-1 entries.
		"names": {header + "\x00\x0d\x04name\x01\x06\xff\xff\xff\xff\x0f\x00", "name section: declares more entries"},
	} {
		e := newEngine(t, Config{})
		_, err := e.CompileLibrary(context.Background(), name+".wasm", []byte(c.bin))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", name, err, c.want)
		}
	}
}

// TestLocalsAreBounded: locals cost wazero 8 bytes each; a few bytes of a
// body declare thousands. Every engine bounds them by the code's size, a
// policy (the macros') by MaxLocals a function too.
func TestLocalsAreBounded(t *testing.T) {
	// funcs functions, each declaring locals i32s.
	module := func(funcs, locals int) []byte {
		body := appendLEB(appendLEB([]byte{1}, uint64(locals)), 0x7f)
		body = append(body, 0x0b)
		code := appendLEB(nil, uint64(funcs))
		fn := appendLEB(nil, uint64(funcs))
		for i := 0; i < funcs; i++ {
			code = append(appendLEB(code, uint64(len(body))), body...)
			fn = append(fn, 0)
		}
		b := []byte("\x00asm\x01\x00\x00\x00\x01\x04\x01\x60\x00\x00")
		b = append(appendLEB(append(b, 3), uint64(len(fn))), fn...)
		b = append(b, 5, 3, 1, 0, 1)                                   // a memory of one page
		b = append(b, 7, 10, 1, 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 0) // exported
		return append(appendLEB(append(b, 10), uint64(len(code))), code...)
	}
	for _, c := range []struct {
		name          string
		funcs, locals int
		cfg           Config
		want          string // "" compiles
	}{
		{"a few", 10, 3, Config{}, ""},
		{"many functions of 50,000", 200, 50000, Config{}, "code section: declares 10000000 locals in"},
		{"one function of 60,000, policy", 1, 60000, Config{MaxLocals: 50000}, "a function declares 60000 locals; the runner allows 50000"},
	} {
		e := newEngine(t, c.cfg)
		_, err := e.CompileLibrary(context.Background(), c.name+".wasm", module(c.funcs, c.locals))
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}
