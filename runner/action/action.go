// Package action holds what the runner's action verbs (rustc,
// build-script, run and test) share: an action's paths and the check that
// an output does not destroy an input (paths.go), environment variables
// that name paths (EnvPath), whether a program runs in wazero (IsWasm),
// parameter files and the line reader of the files flags name (lines.go),
// the engine's flags (EngineFlags), the one way outputs are staged so
// that they appear only when the action succeeds (Staging, and WriteAll
// for outputs that are bytes).
package action

import "strings"

// IsWasm reports whether a program (rustc, a build script) runs in wazero
// rather than natively: its name ends in .wasm.
func IsWasm(path string) bool { return strings.HasSuffix(path, ".wasm") }
