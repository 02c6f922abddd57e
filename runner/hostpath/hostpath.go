// Package hostpath holds what the runner's verbs, the crates generator and
// the rust-project generator do to host paths: whether a path lies below a
// directory (Below), resolving the links of its existing part, and where
// a path below the execution root is for a wasm macro (GuestPath). It
// imports nothing of the runner, so that the generators stay light.
package hostpath

import "path/filepath"

// ResolveExisting resolves the symbolic links of the longest existing
// prefix of the absolute path p; the rest, which does not exist yet, is
// joined on as it is.
func ResolveExisting(p string) string {
	var rest []string
	for d := p; ; d = filepath.Dir(d) {
		if r, err := filepath.EvalSymlinks(d); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		if filepath.Dir(d) == d {
			return p
		}
		rest = append([]string{filepath.Base(d)}, rest...)
	}
}
