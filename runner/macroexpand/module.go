package macroexpand

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// Module is a wasm proc-macro module: what it declares, and its code,
// compiled on first use and kept for every expansion after it.
type Module struct {
	Path  string // as given, for messages
	Key   string
	Decls []macrobuild.Decl

	bin      []byte
	digest   [sha256.Size]byte // of bin, for a Memo's keys
	once     sync.Once
	compiled *engine.Module
	err      error
}

// ErrNotOurs is the error of a file that is not a wasm proc-macro module
// built by these rules (errors.Is).
var ErrNotOurs = errors.New("not a wasm proc-macro module built by rules_rustc_wasm")

func notOurs(path string, reason error) error {
	return fmt.Errorf("%s is %w: %v", path, ErrNotOurs, reason)
}

// ModuleFile is a module's file, open: a regular file of MaxModuleBytes
// at most, not read yet.
type ModuleFile struct {
	Path string
	Info fs.FileInfo
	f    *os.File
}

// OpenModule opens the module file at path and checks what it is before
// anything is read: a path can name a device or a FIFO (the editor names
// any path it likes), so it is opened without blocking, which opening a
// FIFO would, and only a regular file is taken. An error starts with
// path, for the caller to say whose module it is.
func OpenModule(path string) (*ModuleFile, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	var fi fs.FileInfo
	if err == nil {
		fi, err = f.Stat()
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		err = fmt.Errorf("%s: no such file", path)
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		err = fmt.Errorf("%s: %w", path, err)
	case !fi.Mode().IsRegular():
		err = fmt.Errorf("%s is %s, not a regular file", path, fileKind(fi.Mode()))
	case fi.Size() > MaxModuleBytes:
		err = fmt.Errorf("%s: %d bytes; a macro module may have %d MiB at most", path, fi.Size(), MaxModuleBytes>>20)
	}
	if err != nil {
		if f != nil {
			f.Close()
		}
		return nil, err
	}
	return &ModuleFile{Path: path, Info: fi, f: f}, nil
}

// fileKind names what a path that is not a regular file is.
func fileKind(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "a directory"
	case mode&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case mode&fs.ModeSocket != 0:
		return "a socket"
	case mode&fs.ModeDevice != 0:
		return "a device"
	}
	return "an irregular file"
}

// Read reads the module's declarations, and closes the file. It compiles
// nothing.
func (mf *ModuleFile) Read() (*Module, error) {
	defer mf.Close()
	bin, err := io.ReadAll(io.LimitReader(mf.f, MaxModuleBytes+1))
	if err == nil && len(bin) > MaxModuleBytes {
		err = fmt.Errorf("it grew over %d MiB while read", MaxModuleBytes>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("wasm proc macro %s: %w", mf.Path, err)
	}
	return ParseModule(mf.Path, bin)
}

// Close closes the file, read or not.
func (mf *ModuleFile) Close() { mf.f.Close() }

// ReadModule reads the declarations of the module at path (OpenModule,
// then Read).
func ReadModule(path string) (*Module, error) {
	mf, err := OpenModule(path)
	if err != nil {
		return nil, fmt.Errorf("wasm proc macro %w", err)
	}
	return mf.Read()
}

// ParseModule reads the declarations of the module bin, read from path.
func ParseModule(path string, bin []byte) (*Module, error) {
	sections, err := customSections(bin)
	if err != nil {
		return nil, notOurs(path, err)
	}
	key, err := section(sections, macrobuild.KeySection, macrobuild.ParseKey)
	if err != nil {
		return nil, notOurs(path, err)
	}
	decls, err := section(sections, macrobuild.DeclsSection, macrobuild.ParseDecls)
	if err != nil {
		return nil, notOurs(path, err)
	}
	return &Module{Path: path, Key: key, Decls: decls, bin: bin, digest: sha256.Sum256(bin)}, nil
}

// section parses the custom section name of a module with parse.
func section[T any](sections map[string][]byte, name string, parse func(string) (T, error)) (T, error) {
	text, ok := sections[name]
	if !ok {
		var none T
		return none, fmt.Errorf("it has no %s custom section", name)
	}
	v, err := parse(string(text))
	if err != nil {
		return v, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// Declares reports whether the module declares the macro kind/name.
func (m *Module) Declares(kind macrobuild.Kind, name string) bool {
	for _, d := range m.Decls {
		if d.Kind == kind && d.Name == name {
			return true
		}
	}
	return false
}

// compile compiles the module with eng, once, giving up after the
// engine's timeout: compiling takes time superlinear in how deeply blocks
// nest, which a hostile module chooses. The compile it gave up on goes on
// in the background until it ends (wazero cannot stop one), and what it
// compiled is then released; the module's expansions fail with the
// timeout from then on.
func (m *Module) compile(ctx context.Context, eng *Engine) (*engine.Module, error) {
	m.once.Do(func() {
		bin := m.bin
		m.bin = nil // wazero keeps what it needs
		done := make(chan compiled, 1)
		go func() {
			// A module wazero's compiler cannot cope with fails the
			// macro's expansions, not the process.
			defer func() {
				if p := recover(); p != nil {
					done <- compiled{nil, fmt.Errorf("compiling the module failed: %v", p)}
				}
			}()
			mod, err := eng.CompileLibrary(context.WithoutCancel(ctx), m.Path, bin)
			done <- compiled{mod, err}
		}()
		timer := time.NewTimer(eng.limits.Timeout)
		defer timer.Stop()
		select {
		case r := <-done:
			m.compiled, m.err = r.mod, r.err
		case <-timer.C:
			m.err = fmt.Errorf("compiling the module took longer than %v, the macro timeout (given up)", eng.limits.Timeout)
			go releaseLate(done)
		case <-ctx.Done():
			m.err = ctx.Err()
			go releaseLate(done)
		}
	})
	return m.compiled, m.err
}

// compiled is the outcome of compiling a module.
type compiled struct {
	mod *engine.Module
	err error
}

// releaseLate releases what a compile given up on compiled, once it ends.
func releaseLate(done <-chan compiled) {
	if r := <-done; r.mod != nil {
		r.mod.Close(context.Background())
	}
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
