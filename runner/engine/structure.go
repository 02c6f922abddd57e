package engine

import "fmt"

// Structural limits: what a module declares that the runner can refuse
// before compiling it, because nothing it is meant to run needs it and a
// hostile module could use it to escape a run's limits. Config says which
// apply; the wasm proc-macro sandbox (runner/macroexpand/sandbox.go) turns
// them all on.

// Section ids of the binary format.
const (
	sectionCustom   = 0
	sectionType     = 1
	sectionImport   = 2
	sectionFunction = 3
	sectionTable    = 4
	sectionMemory   = 5
	sectionGlobal   = 6
	sectionExport   = 7
	sectionStart    = 8
	sectionElement  = 9
	sectionCode     = 10
	sectionData     = 11
	sectionTag      = 13
)

// scanModule reads a module's sections once, before wazero decodes it, and
// returns its imports (wazero's API does not say whether an imported memory
// is shared, which the memory the runner provides for it must match). It
// refuses a start section when cfg.RefuseStartFunction (a start function
// runs while the module is instantiated, before the entry the runner
// calls) and tables beyond cfg.MaxTableElements: a table without a
// maximum, or maxima whose sum is over the limit, since table.grow
// allocates on the host outside the memory cap. It also checks every count
// wazero allocates by (bounds).
func scanModule(name string, bin []byte, cfg Config) ([]importDesc, error) {
	r := &reader{b: bin, pos: 8}
	b := &bounds{cfg: cfg}
	var tableElements uint64
	for r.pos < len(r.b) {
		id := r.byte()
		size := r.u32()
		if r.err != nil {
			return nil, fmt.Errorf("%s: %w", name, r.err)
		}
		end := r.pos + int(size)
		if end > len(r.b) || end < r.pos {
			return nil, fmt.Errorf("%s: %w", name, errTruncated)
		}
		if err := b.check(id, &reader{b: r.b[:end], pos: r.pos}, end); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		switch {
		case id == sectionStart && cfg.RefuseStartFunction:
			return nil, fmt.Errorf("%s has a start function, which the runner refuses here: it would run before any limit applies", name)
		case id == sectionTable && cfg.MaxTableElements != 0:
			for n := r.u32(); n > 0 && r.err == nil; n-- {
				r.byte() // the element type
				_, max, hasMax, _ := r.limits()
				if r.err != nil {
					break
				}
				if !hasMax {
					return nil, fmt.Errorf("%s declares a table without a maximum size; the runner allows tables of %d elements at most in all", name, cfg.MaxTableElements)
				}
				tableElements += max
				if tableElements > uint64(cfg.MaxTableElements) {
					return nil, fmt.Errorf("%s declares tables of %d elements or more; the runner allows %d at most in all", name, tableElements, cfg.MaxTableElements)
				}
			}
			if r.err != nil {
				return nil, fmt.Errorf("%s: table section: %w", name, r.err)
			}
		}
		r.pos = end
	}
	return b.imports, nil
}
