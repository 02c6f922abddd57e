package engine

import (
	"context"
	"testing"
)

// throwAndCatch is a module whose export "run" throws an exception with
// the payload 42 and catches it (wasm exception handling, the exnref
// encoding that LLVM emits with -wasm-use-legacy-eh=false); it traps if
// the caught payload is not 42:
//
//	(memory (export "memory") 1)
//	(tag $t (param i32))
//	(func (export "run")
//	  (block (result i32)
//	    (try_table (result i32) (catch $t 0) (throw $t (i32.const 42))))
//	  (if (i32.ne (i32.const 42)) (then unreachable)))
var throwAndCatch = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
	// types: (i32) -> (), () -> ()
	0x01, 0x08, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x00,
	// functions: run has type 1
	0x03, 0x02, 0x01, 0x01,
	// memory: one page
	0x05, 0x03, 0x01, 0x00, 0x01,
	// tags: one, of type 0
	0x0d, 0x03, 0x01, 0x00, 0x00,
	// exports: "run" is function 0, "memory" memory 0
	0x07, 0x10, 0x02, 0x03, 'r', 'u', 'n', 0x00, 0x00, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00,
	// code
	0x0a, 0x19, 0x01, 0x17, 0x00,
	0x02, 0x7f, // block (result i32)
	0x1f, 0x7f, 0x01, 0x00, 0x00, 0x00, // try_table (result i32) (catch 0 0)
	0x41, 0x2a, // i32.const 42
	0x08, 0x00, // throw 0
	0x0b,       // end try_table
	0x0b,       // end block
	0x41, 0x2a, // i32.const 42
	0x47,       // i32.ne
	0x04, 0x40, // if
	0x00, // unreachable
	0x0b, // end if
	0x0b, // end func
}

// TestExceptionHandling runs a module that throws and catches: Rust code
// built with -Cpanic=unwind for wasm (a wasm proc macro's own
// catch_unwind, as proc-macro-error's abort! uses) needs the runtime's
// exception handling.
func TestExceptionHandling(t *testing.T) {
	e := newEngine(t, Config{})
	m, err := e.CompileLibrary(context.Background(), "throw_and_catch.wasm", throwAndCatch)
	if err != nil {
		t.Fatal(err)
	}
	cfg := RunConfig{Entry: "run"}
	cfg.Args = []string{"throw_and_catch.wasm"}
	if code, err := m.Run(context.Background(), cfg); err != nil || code != 0 {
		t.Fatalf("run: exit %d, %v", code, err)
	}
}
