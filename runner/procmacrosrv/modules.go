package procmacrosrv

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// The modules the client names, read from their files. A path comes from
// the editor, which may name anything: macroexpand.OpenModule opens only
// a regular file, without blocking (a FIFO would block the opening, and a
// device such as /dev/zero never ends), and what it opened is what is
// read.

// loaded is a module read from a file, kept while the file is unchanged.
type loaded struct {
	modTime time.Time
	size    int64
	module  *macroexpand.Module
}

// module reads the module at path, or returns the one read before if the
// file has not changed since.
func (s *Server) module(path string) (*macroexpand.Module, error) {
	if !filepath.IsAbs(path) {
		return nil, fmt.Errorf("%s: the path of a proc macro must be absolute", path)
	}
	// A native library is named by its extension, before the file is
	// opened: whatever it is (over the module size cap, say), the answer
	// is that this server runs no native macro.
	switch filepath.Ext(path) {
	case ".so", ".dylib", ".dll":
		return nil, notWasm(path)
	}
	f, err := macroexpand.OpenModule(path)
	if err != nil {
		return nil, fmt.Errorf("proc macro %w", err) // the error starts with path
	}
	defer f.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	if l := s.modules[path]; l != nil && l.modTime.Equal(f.Info.ModTime()) && l.size == f.Info.Size() {
		return l.module, nil
	}
	m, err := f.Read()
	if err != nil {
		return nil, err
	}
	s.modules[path] = &loaded{modTime: f.Info.ModTime(), size: f.Info.Size(), module: m}
	return m, nil
}

// notWasm explains a native proc macro: this server runs none.
func notWasm(path string) error {
	crate := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), "lib")
	return fmt.Errorf("proc macro crate %s (%s) is a native library: rules_rustc_wasm's proc-macro server expands only wasm proc macros; "+
		"build it as one (wasm_proc_macro with a toolchain of proc_macro_kind = \"wasm\", the default) and run the rust_project tool again", crate, path)
}
