package wasmmacro

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// Custom sections of a wasm proc-macro module.
const (
	// DeclsSection lists the module's macros, one a line (see FormatDecls),
	// in the format of the research rustc fork this project started from;
	// the attribute macros of rules_rustc_wasm_attrs write a line beside
	// each macro function, and the linker joins them.
	DeclsSection = ".rustc_proc_macro_decls"
	// KeySection ties the module to the shims generated for it
	// (FormatKey); RenameAttributes appends it to the crate root.
	KeySection = "rules_rustc_wasm.macro"
)

// Module is a wasm proc-macro module: what it declares, and its code,
// compiled on first use and kept for every expansion after it.
type Module struct {
	Path  string // as given, for messages
	Key   string
	Decls []Decl

	bin      []byte
	once     sync.Once
	compiled *engine.Module
	err      error
}

// NotOursError reports a file that is not a wasm proc-macro module built by
// these rules.
type NotOursError struct {
	Path   string
	Reason string
}

func (e *NotOursError) Error() string {
	return fmt.Sprintf("%s is not a wasm proc-macro module built by rules_rustc_wasm: %s", e.Path, e.Reason)
}

// ReadModule reads a module's declarations. It compiles nothing.
func ReadModule(path string) (*Module, error) {
	bin, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("wasm proc macro %s: no such file", path)
		}
		return nil, fmt.Errorf("wasm proc macro %s: %w", path, err)
	}
	return ParseModule(path, bin)
}

// ParseModule reads the declarations of the module bin, read from path.
func ParseModule(path string, bin []byte) (*Module, error) {
	sections, err := customSections(bin)
	if err != nil {
		return nil, &NotOursError{Path: path, Reason: err.Error()}
	}
	keyText, ok := sections[KeySection]
	if !ok {
		return nil, &NotOursError{Path: path, Reason: "it has no " + KeySection + " custom section"}
	}
	key, err := ParseKey(string(keyText))
	if err != nil {
		return nil, &NotOursError{Path: path, Reason: KeySection + ": " + err.Error()}
	}
	declText, ok := sections[DeclsSection]
	if !ok {
		return nil, &NotOursError{Path: path, Reason: "it has no " + DeclsSection + " custom section"}
	}
	decls, err := ParseDecls(string(declText))
	if err != nil {
		return nil, &NotOursError{Path: path, Reason: DeclsSection + ": " + err.Error()}
	}
	return &Module{Path: path, Key: key, Decls: decls, bin: bin}, nil
}

// EntryPrefix starts the name of the export that expands a macro:
// rules_rustc_wasm:<kind>:<name>, exported by the code that the attribute
// macros of rules_rustc_wasm_attrs put beside each macro function.
const EntryPrefix = "rules_rustc_wasm:"

// Entry is the export that expands the macro kind/name.
func Entry(kind Kind, name string) string { return EntryPrefix + string(kind) + ":" + name }

// Declares reports whether the module declares the macro kind/name.
func (m *Module) Declares(kind Kind, name string) bool {
	for _, d := range m.Decls {
		if d.Kind == kind && d.Name == name {
			return true
		}
	}
	return false
}

// compile compiles the module with eng, once.
func (m *Module) compile(ctx context.Context, eng *engine.Engine) (*engine.Module, error) {
	m.once.Do(func() {
		m.compiled, m.err = eng.CompileLibrary(ctx, m.Path, m.bin)
		m.bin = nil // wazero keeps what it needs
	})
	return m.compiled, m.err
}

// customSections returns the custom sections of a wasm binary by name (the
// first of each name).
func customSections(bin []byte) (map[string][]byte, error) {
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return nil, errors.New("it is not a WebAssembly module (no \\0asm header)")
	}
	out := map[string][]byte{}
	for i := 8; i < len(bin); {
		id := bin[i]
		size, n := uleb(bin[i+1:])
		if n == 0 || uint64(len(bin)-i-1-n) < size {
			return nil, fmt.Errorf("section at byte %d is truncated", i)
		}
		body := bin[i+1+n : i+1+n+int(size)]
		i += 1 + n + int(size)
		if id != 0 {
			continue
		}
		nameLen, n := uleb(body)
		if n == 0 || uint64(len(body)-n) < nameLen {
			return nil, fmt.Errorf("custom section name at byte %d is truncated", i)
		}
		name := string(body[n : n+int(nameLen)])
		if _, dup := out[name]; !dup {
			out[name] = body[n+int(nameLen):]
		}
	}
	return out, nil
}

// uleb decodes an unsigned LEB128 of at most 5 bytes (u32); n = 0 when
// it is malformed or truncated.
func uleb(b []byte) (v uint64, n int) {
	for i := 0; i < len(b) && i < 5; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
