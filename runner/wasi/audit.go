package wasi

// An Audit records what a guest opened, for a check that an action read
// only what it declared.

import (
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// Audit records every path a run's guest opened with path_open: the host
// path of each file, and of each directory with a trailing "/". It is safe
// for the concurrent use of a run's threads.
type Audit struct {
	mu    sync.Mutex
	paths map[string]bool
}

// NewAudit returns an empty Audit.
func NewAudit() *Audit { return &Audit{paths: map[string]bool{}} }

func (a *Audit) record(mt *mount, rel string, dir bool) {
	p := filepath.Join(mt.HostPath, filepath.FromSlash(path.Clean(rel)))
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	if dir {
		p += "/"
	}
	a.mu.Lock()
	a.paths[p] = true
	a.mu.Unlock()
}

// Paths returns the recorded paths, sorted and unique, relative to base
// (a host directory) when they are below it and absolute otherwise. A
// directory ends in "/"; base itself is "./".
func (a *Audit) Paths(base string) []string {
	base = filepath.Clean(base)
	a.mu.Lock()
	defer a.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for p := range a.paths {
		dir := strings.HasSuffix(p, "/")
		host := strings.TrimSuffix(p, "/")
		if hostpath.Below(host, base) {
			rel, _ := filepath.Rel(base, host)
			host = filepath.ToSlash(rel)
		}
		if dir {
			host += "/"
		}
		if !seen[host] {
			seen[host] = true
			out = append(out, host)
		}
	}
	sort.Strings(out)
	return out
}
