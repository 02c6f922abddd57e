package buildscript

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// fileState is what a snapshot keeps of one file or directory.
type fileState struct {
	dir   bool
	size  int64
	mtime time.Time
	mode  os.FileMode
}

// snapshot lists every file below a directory, following symbolic links
// (Bazel's inputs are links into the source tree: a write through one
// changes the user's file), keyed by the path relative to the directory.
type snapshot map[string]fileState

// takeSnapshot walks root, skipping the paths in skip (absolute).
func takeSnapshot(root string, skip ...string) (snapshot, error) {
	s := snapshot{}
	seen := map[string]bool{}
	var walk func(dir, rel string) error
	walk = func(dir, rel string) error {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil {
			return err
		}
		if seen[real] {
			return nil // a link cycle, or the same tree twice
		}
		seen[real] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if skipped(p, skip) {
				continue
			}
			r := filepath.Join(rel, e.Name())
			fi, err := os.Stat(p)
			if err != nil {
				// A dangling link: note the link itself.
				if fi, err = os.Lstat(p); err != nil {
					return err
				}
			}
			s[r] = fileState{dir: fi.IsDir(), size: fi.Size(), mtime: fi.ModTime(), mode: fi.Mode()}
			if fi.IsDir() {
				if err := walk(p, r); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root, ""); err != nil {
		return nil, fmt.Errorf("listing %s: %w", root, err)
	}
	return s, nil
}

func skipped(p string, skip []string) bool {
	for _, s := range skip {
		if p == s {
			return true
		}
	}
	return false
}

// changes lists what differs between two snapshots: new, changed and
// removed files, sorted.
func (before snapshot) changes(after snapshot) []string {
	var out []string
	for p, a := range after {
		b, ok := before[p]
		switch {
		case !ok:
			out = append(out, p+" (new)")
		case a.dir != b.dir || a.mode != b.mode:
			out = append(out, p+" (changed)")
		case !a.dir && (a.size != b.size || !a.mtime.Equal(b.mtime)):
			out = append(out, p+" (changed)")
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p+" (removed)")
		}
	}
	sort.Strings(out)
	return out
}
