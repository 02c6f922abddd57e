package main

import (
	"fmt"
	"os"
)

// program returns a WASI command module that prints what the stand-in
// built, so that `bazel run` of the wasm flavour has a program to run. It
// says plainly that nothing was compiled. A --test crate gets a module
// that answers like a libtest harness for the #[test] functions of its
// root (harness.go), so that `bazel test` reports each, and fails when one
// is marked to fail.
func program(rec Record) []byte {
	if rec.Test {
		src, _ := os.ReadFile(rec.Root) // main read it already
		return testHarness(rec, string(src))
	}
	msg := fmt.Sprintf("rustc stand-in: binary %s from %s with %d extern(s); nothing was compiled\n",
		rec.CrateName, rec.Root, len(rec.Externs))
	return module(msg)
}

// module assembles:
//
//	(module
//	  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
//	  (memory (export "memory") 1)
//	  (data (i32.const 16) MSG)
//	  (func (export "_start")
//	    (i32.store (i32.const 0) (i32.const 16))
//	    (i32.store (i32.const 4) (i32.const LEN))
//	    (drop (call 0 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
func module(msg string) []byte {
	var out []byte
	out = append(out, "\x00asm\x01\x00\x00\x00"...)
	out = section(out, 1, []byte{2, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f, 0x60, 0, 0})
	imp := name([]byte{1}, "wasi_snapshot_preview1")
	imp = name(imp, "fd_write")
	out = section(out, 2, append(imp, 0, 0))
	out = section(out, 3, []byte{1, 1})
	out = section(out, 5, []byte{1, 0, 1})
	exp := name([]byte{2}, "memory")
	exp = append(exp, 2, 0)
	exp = name(exp, "_start")
	out = section(out, 7, append(exp, 0, 1))
	code := []byte{0}
	code = append(code, 0x41, 0, 0x41, 16, 0x36, 2, 0)
	code = append(code, 0x41, 4, 0x41)
	code = sleb(code, int64(len(msg)))
	code = append(code, 0x36, 2, 0)
	code = append(code, 0x41, 1, 0x41, 0, 0x41, 1, 0x41, 8, 0x10, 0, 0x1a, 0x0b)
	out = section(out, 10, append(uleb([]byte{1}, uint64(len(code))), code...))
	data := []byte{1, 0, 0x41, 16, 0x0b}
	data = name(data, msg)
	out = section(out, 11, data)
	return out
}

// section appends the module section id with body.
func section(out []byte, id byte, body []byte) []byte {
	out = append(out, id)
	out = uleb(out, uint64(len(body)))
	return append(out, body...)
}

// name appends s with its length, as names are written in a module.
func name(b []byte, s string) []byte { return append(uleb(b, uint64(len(s))), s...) }

func uleb(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func sleb(b []byte, v int64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}
