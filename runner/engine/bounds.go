package engine

import (
	"errors"
	"fmt"
)

// Counts and sizes a module declares, bounded before wazero decodes it.
// wazero's decoder allocates by the count a vector or a string declares
// before it reads the entries: a 40-byte module whose export section
// claims 100 million exports took 3.5 GB to refuse (FuzzLoadModule found
// it). So every count and size that wazero allocates by is checked here
// against the bytes left to hold it (an entry takes a byte at least), and
// locals against the limit every web browser's engine applies.

// maxLocals bounds the locals of one function, as the WebAssembly JS API's
// implementation limits do (50,000); rustc's largest functions have some
// thousands.
const maxLocals = 50000

var errCount = errors.New("declares more entries than its bytes can hold")

// Section ids of the binary format whose vectors wazero allocates by
// count (start, 8, and data count, 12, hold none).
var vectorSections = map[byte]string{
	1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global",
	7: "export", 9: "element", 10: "code", 11: "data", 13: "tag",
}

// checkBounds checks one section's counts and sizes; r is positioned at
// the section's body, which ends at end.
func checkBounds(id byte, r *reader, end int) error {
	if id == 0 {
		return checkNameSection(r, end)
	}
	what, ok := vectorSections[id]
	if !ok {
		return nil
	}
	n := r.count(end)
	switch id {
	case 2:
		for ; n > 0 && r.err == nil; n-- {
			r.importEntry() // its names checked against r.b, which ends at end
		}
	case 7:
		for ; n > 0 && r.err == nil; n-- {
			r.str(end)
			r.byte()
			r.u32()
		}
	case 9:
		for ; n > 0 && r.err == nil; n-- {
			r.elementSegment(end)
		}
	case 10:
		for ; n > 0 && r.err == nil; n-- {
			size := r.count(end)
			body := r.pos
			r.locals(body + int(size))
			r.pos = body + int(size)
		}
	case 11:
		for ; n > 0 && r.err == nil; n-- {
			switch r.u32() {
			case 0:
				r.constExpr()
			case 1:
			case 2:
				r.u32()
				r.constExpr()
			}
			r.pos += int(r.count(end))
		}
	}
	if r.err != nil {
		return fmt.Errorf("%s section: %w", what, r.err)
	}
	return nil
}

// count reads a count or a size and checks that the bytes up to end can
// hold it.
func (r *reader) count(end int) uint32 {
	n := r.u32()
	if r.err == nil && uint64(n) > uint64(end-r.pos) {
		r.err = errCount
		return 0
	}
	return n
}

// str skips a name, its size checked.
func (r *reader) str(end int) { r.pos += int(r.count(end)) }

// locals checks a function body's locals against maxLocals; the body ends
// at end.
func (r *reader) locals(end int) {
	var sum uint64
	for n := r.count(end); n > 0 && r.err == nil; n-- {
		sum += uint64(r.u32())
		if t := r.byte(); t == 0x63 || t == 0x64 { // (ref null? ht)
			r.u64()
		}
		if sum > maxLocals {
			r.err = fmt.Errorf("a function declares more than %d locals", maxLocals)
		}
	}
}

// constExpr skips a constant expression up to its end opcode.
func (r *reader) constExpr() {
	for r.err == nil {
		switch op := r.byte(); op {
		case 0x0b: // end
			return
		case 0x41, 0x42, 0x23, 0xd2: // i32.const, i64.const, global.get, ref.func
			r.u64()
		case 0x43:
			r.pos += 4
		case 0x44:
			r.pos += 8
		case 0xd0: // ref.null
			r.byte()
		case 0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e: // extended constants
		case 0xfd: // v128.const
			r.u32()
			r.pos += 16
		default:
			r.err = fmt.Errorf("unknown opcode 0x%x in a constant expression", op)
		}
		if r.pos > len(r.b) {
			r.err = errTruncated
		}
	}
}

// elementSegment skips an element segment, its vector's count checked.
func (r *reader) elementSegment(end int) {
	flags := r.u32()
	if flags > 7 {
		r.err = fmt.Errorf("element segment flags %d", flags)
		return
	}
	if flags&3 == 2 {
		r.u32() // table index
	}
	if flags&1 == 0 {
		r.constExpr() // offset
	}
	if flags&3 != 0 {
		r.byte() // element kind or reference type
	}
	n := r.count(end)
	for ; n > 0 && r.err == nil; n-- {
		if flags&4 != 0 {
			r.constExpr()
		} else {
			r.u32()
		}
	}
}

// checkNameSection checks the counts of the "name" custom section, which
// wazero decodes; other custom sections it keeps as bytes.
func checkNameSection(r *reader, end int) error {
	if string(r.peekName(end)) != "name" {
		return nil
	}
	r.str(end)
	for r.pos < end && r.err == nil {
		id := r.byte()
		subEnd := r.pos + int(r.count(end))
		subEnd = min(subEnd, end)
		switch id {
		case 1: // function names
			for n := r.count(subEnd); n > 0 && r.err == nil; n-- {
				r.u32()
				r.str(subEnd)
			}
		case 2: // local names
			for n := r.count(subEnd); n > 0 && r.err == nil; n-- {
				r.u32()
				for m := r.count(subEnd); m > 0 && r.err == nil; m-- {
					r.u32()
					r.str(subEnd)
				}
			}
		}
		r.pos = subEnd
	}
	if r.err != nil {
		return fmt.Errorf("name section: %w", r.err)
	}
	return nil
}

// peekName returns a custom section's name without moving r.
func (r *reader) peekName(end int) []byte {
	pos, err := r.pos, r.err
	defer func() { r.pos, r.err = pos, err }()
	n := r.count(end)
	if r.err != nil {
		return nil
	}
	return r.b[r.pos : r.pos+int(n)]
}
