package hostpath

import (
	"path"
	"path/filepath"
)

// GuestPath is where a path relative to the execution root is for a wasm
// proc macro, which has that root at "/": for the compile (runner/rustc)
// and for the editor (tools/rust_project, through macroview) alike.
func GuestPath(rel string) string { return path.Join("/", filepath.ToSlash(rel)) }
