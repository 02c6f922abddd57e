package engine

import (
	"errors"
	"fmt"
)

// importDesc is one entry of a module's import section.
type importDesc struct {
	module, name string
	kind         byte // 0 func, 1 table, 2 memory, 3 global, 4 tag
	// memories only
	min, max uint64
	hasMax   bool
	shared   bool
}

var errTruncated = errors.New("truncated module")

// importEntry reads one entry of the import section.
func (r *reader) importEntry() importDesc {
	d := importDesc{module: r.name(), name: r.name(), kind: r.byte()}
	if r.err != nil {
		return d // a truncated name: its kind byte is not one
	}
	switch d.kind {
	case 0:
		r.u32()
	case 1:
		r.byte()
		r.limits()
	case 2:
		d.min, d.max, d.hasMax, d.shared = r.limits()
	case 3:
		r.byte()
		r.byte()
	case 4:
		r.byte()
		r.u32()
	default:
		r.err = fmt.Errorf("unknown import kind %d", d.kind)
	}
	return d
}

type reader struct {
	b   []byte
	pos int
	err error
}

// byte reads a byte; after an error, nothing (the first error stands).
func (r *reader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.pos >= len(r.b) {
		r.err = errTruncated
		return 0
	}
	c := r.b[r.pos]
	r.pos++
	return c
}

func (r *reader) u64() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c := r.byte()
		if r.err != nil {
			return 0
		}
		v |= uint64(c&0x7f) << shift
		if c&0x80 == 0 {
			return v
		}
	}
	r.err = errors.New("malformed LEB128")
	return 0
}

func (r *reader) u32() uint32 { return uint32(r.u64()) }

func (r *reader) name() string {
	n := int(r.u32())
	if r.err != nil || r.pos+n > len(r.b) {
		r.err = errTruncated
		return ""
	}
	s := string(r.b[r.pos : r.pos+n])
	r.pos += n
	return s
}

func (r *reader) limits() (min, max uint64, hasMax, shared bool) {
	flags := r.byte()
	min = r.u64()
	if flags&1 != 0 {
		max, hasMax = r.u64(), true
	}
	return min, max, hasMax, flags&2 != 0
}

// memoryModule is a module that exports one memory under name with the
// given limits: the runner instantiates it per run to serve a guest's
// memory import.
func memoryModule(name string, min, max uint64, hasMax, shared bool) []byte {
	limits := []byte{0}
	if hasMax {
		limits[0] |= 1
	}
	if shared {
		limits[0] |= 2
	}
	limits = appendLEB(limits, min)
	if hasMax {
		limits = appendLEB(limits, max)
	}
	mem := append([]byte{1}, limits...)
	exp := appendLEB([]byte{1}, uint64(len(name)))
	exp = append(exp, name...)
	exp = append(exp, 2, 0)
	out := []byte("\x00asm\x01\x00\x00\x00")
	out = append(out, 5)
	out = appendLEB(out, uint64(len(mem)))
	out = append(out, mem...)
	out = append(out, 7)
	out = appendLEB(out, uint64(len(exp)))
	return append(out, exp...)
}

func appendLEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}
