package main

import (
	"context"
	"strings"
	"testing"
)

// TestEngineIsTheMacrosOne: the benchmark compiles in the engine macros
// run in, which refuses what macroexpand.NewEngine refuses (here a start
// function), not in a bare engine that accepts it.
func TestEngineIsTheMacrosOne(t *testing.T) {
	ctx := context.Background()
	eng, err := newEngine(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	// A module with a memory, exported, whose one function, of type
	// [] -> [], is its start function: a bare engine compiles it.
	bin := []byte("\x00asm\x01\x00\x00\x00" +
		"\x01\x04\x01\x60\x00\x00" + // types
		"\x03\x02\x01\x00" + // functions
		"\x05\x03\x01\x00\x01" + // a memory of one page
		"\x07\x0a\x01\x06memory\x02\x00" + // exported
		"\x08\x01\x00" + // start
		"\x0a\x04\x01\x02\x00\x0b") // code
	_, err = eng.CompileLibrary(ctx, "start.wasm", bin)
	if err == nil || !strings.Contains(err.Error(), "has a start function") {
		t.Errorf("compiling a module with a start function: %v; want the macro engine's refusal", err)
	}
}
