package engine

import (
	"errors"
	"fmt"
)

// Counts and sizes a module declares, bounded before wazero decodes it.
// wazero's decoder allocates by the count a vector or a string declares
// before it reads the entries: a 40-byte module whose export section
// claims 100 million exports took 3.5 GB to refuse (FuzzLoadModule found
// it), and a 17-byte one whose function type claims 2^32 parameters ended
// the process. So every count and size wazero allocates by is checked
// against the bytes left to hold it, and the counts of each kind of entry
// against the WebAssembly JS API's implementation limits, which every web
// browser's engine applies, so that what wazero allocates stays in
// proportion to the module's size.

// The JS API's implementation limits, where wazero allocates per entry.
const (
	maxTypes          = 1000000
	maxFunctions      = 1000000
	maxImports        = 100000
	maxExports        = 100000
	maxGlobals        = 1000000
	maxDataSegments   = 100000
	maxTables         = 100000
	maxElementEntries = 10000000 // table size, which bounds a segment's
	maxParams         = 1000
	maxResults        = 1000
)

// maxSectionEntries bounds the entries of each section wazero decodes
// into a vector (start, 8, and data count, 12, hold none).
var maxSectionEntries = map[byte]struct {
	what string
	max  uint32
}{
	sectionType:     {"type", maxTypes},
	sectionImport:   {"import", maxImports},
	sectionFunction: {"function", maxFunctions},
	sectionTable:    {"table", maxTables},
	sectionMemory:   {"memory", 1},
	sectionGlobal:   {"global", maxGlobals},
	sectionExport:   {"export", maxExports},
	sectionElement:  {"element", maxElementEntries},
	sectionCode:     {"code", maxFunctions},
	sectionData:     {"data", maxDataSegments},
	sectionTag:      {"tag", maxTypes},
}

var errCount = errors.New("declares more entries than its bytes can hold")

// bounds checks the sections of one module in turn.
type bounds struct {
	cfg     Config
	imports []importDesc // the import section's entries
	// locals counts the locals of every function so far: wazero keeps 8
	// bytes for each, and a few bytes of a body declare thousands.
	locals uint64
}

// check checks one section's counts and sizes; r is positioned at the
// section's body, which ends at end.
func (b *bounds) check(id byte, r *reader, end int) error {
	if id == sectionCustom {
		return checkNameSection(r, end)
	}
	limit, ok := maxSectionEntries[id]
	if !ok {
		return nil
	}
	n := r.count(end)
	if r.err == nil && n > limit.max {
		r.err = fmt.Errorf("declares %d entries; the runner allows %d", n, limit.max)
	}
	switch id {
	case sectionType:
		for ; n > 0 && r.err == nil; n-- {
			if r.byte() != 0x60 {
				break // not a function type: wazero refuses it
			}
			r.valueTypes(end, maxParams)
			r.valueTypes(end, maxResults)
		}
	case sectionImport:
		for ; n > 0 && r.err == nil; n-- {
			d := r.importEntry() // its names checked against r.b, which ends at end
			if r.err == nil {
				b.imports = append(b.imports, d)
			}
		}
	case sectionExport:
		for ; n > 0 && r.err == nil; n-- {
			r.str(end)
			r.byte()
			r.u32()
		}
	case sectionElement:
		for ; n > 0 && r.err == nil; n-- {
			r.elementSegment(end)
		}
	case sectionCode:
		for ; n > 0 && r.err == nil; n-- {
			size := r.count(end)
			body := r.pos
			b.bodyLocals(r, body+int(size))
			r.pos = body + int(size)
		}
		// A local is declared in a byte or two of a thousand and used in
		// two more each time: more locals than half the section's bytes
		// is no code a compiler makes (LLVM's are under 0.01 a byte).
		if r.err == nil && b.locals > uint64(end)/2 {
			r.err = fmt.Errorf("declares %d locals in %d bytes", b.locals, end)
		}
	case sectionData:
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
		return fmt.Errorf("%s section: %w", limit.what, r.err)
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

// valueTypes skips a vector of value types of at most max.
func (r *reader) valueTypes(end int, max uint32) {
	n := r.count(end)
	if r.err == nil && n > max {
		r.err = fmt.Errorf("a function type declares %d parameters or results; the runner allows %d", n, max)
	}
	for ; n > 0 && r.err == nil; n-- {
		if t := r.byte(); t == 0x63 || t == 0x64 { // (ref null? ht)
			r.u64()
		}
	}
}

// bodyLocals counts a function body's locals, against cfg.MaxLocals; the
// body ends at end.
func (b *bounds) bodyLocals(r *reader, end int) {
	var locals uint64
	for n := r.count(end); n > 0 && r.err == nil; n-- {
		locals += uint64(r.u32())
		if t := r.byte(); t == 0x63 || t == 0x64 { // (ref null? ht)
			r.u64()
		}
	}
	if max := b.cfg.MaxLocals; max != 0 && locals > uint64(max) {
		r.err = fmt.Errorf("a function declares %d locals; the runner allows %d", locals, max)
	}
	b.locals += locals
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
			r.u64()
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
	if r.err == nil && n > maxElementEntries {
		r.err = fmt.Errorf("an element segment declares %d entries; the runner allows %d", n, maxElementEntries)
	}
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
	var names uint64 // function and local names: wazero keeps each
	for r.pos < end && r.err == nil {
		id := r.byte()
		subEnd := r.pos + int(r.count(end))
		subEnd = min(subEnd, end)
		switch id {
		case 0: // the module's name
			r.str(subEnd)
		case 1: // function names
			n := r.count(subEnd)
			names += uint64(n)
			for ; n > 0 && r.err == nil; n-- {
				r.u32()
				r.str(subEnd)
			}
		case 2: // local names
			for n := r.count(subEnd); n > 0 && r.err == nil; n-- {
				r.u32()
				m := r.count(subEnd)
				names += uint64(m) + 1
				for ; m > 0 && r.err == nil; m-- {
					r.u32()
					r.str(subEnd)
				}
			}
		}
		if r.err == nil && names > maxFunctions {
			r.err = fmt.Errorf("names %d functions and locals; the runner allows %d", names, maxFunctions)
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
