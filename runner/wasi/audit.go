package wasi

// An Audit records what a guest opened, for a check that an action read
// only what it declared.

import (
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// Audit records every path a run's guest opened with path_open: the host
// path of each file, and of each directory with a trailing "/". It is safe
// for the concurrent use of a run's threads.
type Audit struct {
	mu    sync.Mutex
	paths map[string]bool
	// stamps, in a stamping Audit, are what was at each path when it was
	// first recorded, for Unchanged.
	stamps map[string]stamp
}

// NewAudit returns an empty Audit.
func NewAudit() *Audit { return &Audit{paths: map[string]bool{}} }

// NewStampingAudit returns an empty Audit that also notes what is at each
// path when it is first recorded, before the guest uses it: Unchanged
// then tells whether anything changed there since.
func NewStampingAudit() *Audit {
	return &Audit{paths: map[string]bool{}, stamps: map[string]stamp{}}
}

// stamp is what identifies a version of a file: its inode, size and
// times (ctime changes with any write, rename or change of a directory's
// entries), or that nothing is there.
type stamp struct {
	exists       bool
	ino          uint64
	size         int64
	mtime, ctime int64
}

func stampOf(p string) stamp {
	fi, err := os.Stat(p)
	if err != nil {
		return stamp{}
	}
	s := stamp{exists: true, size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		s.ino, s.ctime = st.Ino, st.Ctim.Nano()
	}
	return s
}

// Unchanged reports whether every path a stamping Audit recorded holds
// what it held when first recorded.
func (a *Audit) Unchanged() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for p, s := range a.stamps {
		if stampOf(p) != s {
			return false
		}
	}
	return true
}

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
	if a.stamps != nil {
		host := strings.TrimSuffix(p, "/")
		if _, ok := a.stamps[host]; !ok {
			a.stamps[host] = stampOf(host)
		}
	}
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
