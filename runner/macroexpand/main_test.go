package macroexpand

import (
	"os"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

func TestMain(m *testing.M) { os.Exit(wasmtest.Main(m)) }
