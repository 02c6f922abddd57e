package macroexpand

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

var fuzzEngine struct {
	once sync.Once
	eng  *Engine
	err  error
}

// FuzzLoadModule feeds arbitrary bytes to the module loader: reading the
// declarations (ParseModule) and compiling in the macro sandbox. It must
// never panic, and ends each input within the sandbox's timeout.
func FuzzLoadModule(f *testing.F) {
	f.Add([]byte("\x00asm\x01\x00\x00\x00"))
	f.Add(hostile{body: justReturn}.binary())
	f.Add(hostile{body: loopForever, start: true}.binary())
	f.Add(hostile{body: justReturn, table: []byte{1, 0x70, 1, 1, 16}}.binary())
	f.Add(hostile{body: nested(64)}.binary())
	f.Add(module([2]string{macrobuild.DeclsSection, "bang:x:x\n"}, [2]string{macrobuild.KeySection, "v1 x-0123456789abcdef\n"}))
	// A real macro module, built as the rules build them.
	faults := wasmtest.MacroModule(f, "testdata/faults.rs", func(path string, src []byte) ([]byte, error) {
		return macrobuild.RenameAttributes(path, src, "faults-0123456789abcdef", "2021")
	})
	bin, err := os.ReadFile(faults)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(bin)
	f.Fuzz(func(t *testing.T, bin []byte) {
		fuzzEngine.once.Do(func() {
			fuzzEngine.eng, fuzzEngine.err = NewEngine(context.Background(), engine.Config{}, Limits{Timeout: 2 * time.Second, MaxMemoryMiB: 4})
		})
		if fuzzEngine.err != nil {
			t.Fatal(fuzzEngine.err)
		}
		if m, err := ParseModule("fuzz.wasm", append([]byte(nil), bin...)); err == nil {
			if _, err := m.compile(context.Background(), fuzzEngine.eng); err != nil {
				return
			}
			return
		}
		// Not one of ours by its sections: the engine's own checks
		// (imports, structure) and wazero's decoder still see it.
		_, _ = fuzzEngine.eng.CompileLibrary(context.Background(), "fuzz.wasm", bin)
	})
}
