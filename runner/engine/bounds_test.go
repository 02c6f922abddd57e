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
		"locals": {header + "\x01\x04\x01\x60\x00\x00" + "\x03\x02\x01\x00" + "\x0a\x0b\x01\x09\x01\xff\xff\xff\xff\x0f\x7f\x0b\x00", "more than 50000 locals"},
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
