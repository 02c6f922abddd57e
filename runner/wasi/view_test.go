package wasi

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// viewTree lays out a working directory: declared inputs, an undeclared
// secret beside them, and an output directory holding another action's
// output.
func viewTree(t *testing.T) (string, *State, *View) {
	t.Helper()
	dir := t.TempDir()
	for p, data := range map[string]string{
		"src/a.rs": "declared", "src/b.rs": "undeclared", "secret.txt": "secret",
		"lib/x/y.rlib": "in a declared directory", "out/sibling": "another action's",
	} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(data), 0o644)
	}
	os.MkdirAll(filepath.Join(dir, "out", ".stage"), 0o755)
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	v, err := NewView(dir, ViewSpec{Inputs: []string{"src/a.rs", "lib"}, Writable: []string{"out"}, Own: []string{"out/.stage"}, Dirs: []string{"empty", "no-such-dir"}})
	if err != nil {
		t.Fatal(err)
	}
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/", FollowHostLinks: true, View: v}}})
	return dir, s, v
}

// names lists the directory rel as fd_readdir does, without "." and "..".
func names(t *testing.T, s *State, rel string) string {
	t.Helper()
	mt := s.mounts[0]
	list, err := s.listDir(&entry{mount: mt, rel: rel})
	if err != nil {
		t.Fatalf("listing %s: %v", rel, err)
	}
	var out []string
	for _, d := range list[2:] {
		out = append(out, d.name)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestViewShowsDeclaredOnly(t *testing.T) {
	dir, s, v := viewTree(t)
	m := newMemory(t)
	open := func(name string, oflags uint16, rights uint64) Errno {
		m.WriteString(100, name)
		return pathOpen(s, m, []uint64{3, lookupSymlinkFollow, 100, uint64(len(name)), uint64(oflags), rights, rights, 0, 200})
	}
	for _, c := range []struct {
		dir, want string
	}{
		{".", "empty lib out src"}, {"src", "a.rs"}, {"lib/x", "y.rlib"}, {"out", ".stage"}, {"src/..", "empty lib out src"},
	} {
		if got := names(t, s, c.dir); got != c.want {
			t.Errorf("readdir %s: %q, want %q", c.dir, got, c.want)
		}
	}
	for _, c := range []struct {
		name   string
		oflags uint16
		rights uint64
		want   Errno
	}{
		{"src/a.rs", 0, rightFdRead, ErrnoSuccess},
		{"lib/x/y.rlib", 0, rightFdRead, ErrnoSuccess},
		{"src", oflagDirectory, rightFdReaddir, ErrnoSuccess},
		{"src/b.rs", 0, rightFdRead, ErrnoNoent},
		{"secret.txt", 0, rightFdRead, ErrnoNoent},
		{"src/../secret.txt", 0, rightFdRead, ErrnoNoent},
		{"out/sibling", 0, rightFdRead, ErrnoNoent},
		{"no-such-file", 0, rightFdRead, ErrnoNoent},
		{"src/a.rs", 0, rightFdWrite, ErrnoAcces}, // inputs are read-only
		{"src/a.rs", oflagTrunc, rightFdRead | rightFdWrite, ErrnoAcces},
		{"src/new.rs", oflagCreat, rightFdWrite, ErrnoNoent}, // not an output directory
		{"out/sibling", oflagCreat, rightFdWrite, ErrnoAcces},
		{"out/new", oflagCreat, rightFdWrite, ErrnoSuccess},
		{"out/.stage/lib.rmeta", oflagCreat | oflagTrunc, rightFdWrite, ErrnoSuccess},
	} {
		if got := open(c.name, c.oflags, c.rights); got != c.want {
			t.Errorf("open %s (oflags %#x): %v, want %v", c.name, c.oflags, got, c.want)
		}
	}
	if got := names(t, s, "out"); got != ".stage new" {
		t.Errorf("readdir out after creating: %q", got)
	}
	path := func(f func(*State, []uint64) Errno, a string, b ...string) Errno {
		m.WriteString(100, a)
		if len(b) == 0 {
			return f(s, []uint64{3, 100, uint64(len(a))})
		}
		m.WriteString(300, b[0])
		return f(s, []uint64{3, 100, uint64(len(a)), 3, 300, uint64(len(b[0]))})
	}
	mk := func(s *State, p []uint64) Errno { return pathCreateDirectory(s, m, p) }
	rm := func(s *State, p []uint64) Errno { return pathUnlinkFile(s, m, p) }
	mv := func(s *State, p []uint64) Errno { return pathRename(s, m, p) }
	for _, c := range []struct {
		what string
		got  Errno
		want Errno
	}{
		{"mkdir out/d", path(mk, "out/d"), ErrnoSuccess},
		{"rename out/new out/d/new", path(mv, "out/new", "out/d/new"), ErrnoSuccess},
		{"rename an input", path(mv, "src/a.rs", "out/a.rs"), ErrnoAcces},
		{"rename onto another's output", path(mv, "out/d/new", "out/sibling"), ErrnoAcces},
		{"rename a hidden file", path(mv, "secret.txt", "out/s"), ErrnoNoent},
		{"unlink an input", path(rm, "src/a.rs"), ErrnoAcces},
		{"unlink a hidden file", path(rm, "src/b.rs"), ErrnoNoent},
		{"unlink its own", path(rm, "out/d/new"), ErrnoSuccess},
		{"mkdir where it may not", path(mk, "src/d"), ErrnoNoent},
		{"mkdir over a hidden one", path(mk, "out/sibling"), ErrnoAcces},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.what, c.got, c.want)
		}
	}
	m.WriteString(100, "src/a.rs")
	m.WriteString(300, "out/l")
	if errno := pathSymlink(s, m, []uint64{100, 8, 3, 300, 5}); errno != ErrnoPerm {
		t.Errorf("symlink in a view: %v", errno)
	}
	if got := strings.Join(v.Undeclared(), " "); got != "src/b.rs secret.txt out/sibling" {
		t.Errorf("undeclared: %q", got)
	}
	for p, want := range map[string]string{"src/a.rs": "declared", "out/sibling": "another action's", "secret.txt": "secret"} {
		if b, _ := os.ReadFile(filepath.Join(dir, p)); string(b) != want {
			t.Errorf("%s holds %q", p, b)
		}
	}
}

func TestNewViewErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "here"), nil, 0o644)
	os.Symlink("nowhere", filepath.Join(dir, "dangling"))
	for in, want := range map[string]string{
		"../up": `declared input "../up" is not below the working directory`,
		"/abs":  `declared input "/abs" is not below the working directory`,
	} {
		if _, err := NewView(dir, ViewSpec{Inputs: []string{"here", in}}); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %s", in, err, want)
		}
	}
	// A missing input is found when the guest looks for it.
	v, err := NewView(dir, ViewSpec{Inputs: []string{"here", "gone", "dangling", "unused"}})
	if err != nil {
		t.Fatal(err)
	}
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/", FollowHostLinks: true, View: v}}})
	m := newMemory(t)
	for _, p := range []string{"here", "gone", "dangling", "./gone"} {
		m.WriteString(100, p)
		pathOpen(s, m, []uint64{3, lookupSymlinkFollow, 100, uint64(len(p)), 0, rightFdRead, 0, 0, 200})
	}
	if got := strings.Join(v.Missing(), " "); got != "gone dangling" {
		t.Errorf("missing: %q", got)
	}
}

// BenchmarkNewView is a worker request's view setup for 1,000 declared
// inputs. It reads nothing from the file system.
func BenchmarkNewView(b *testing.B) {
	var inputs []string
	for i := 0; i < 1000; i++ {
		p := fmt.Sprintf("bazel-out/k8-fastbuild/bin/external/crate%02d/src/file%03d.rs", i/25, i)
		if i%100 == 0 {
			p = fmt.Sprintf("external/rustc_wasm/lib/rustlib/wasm32-wasip1/lib/lib%03d.rlib", i)
		}
		inputs = append(inputs, p)
	}
	spec := ViewSpec{Inputs: inputs, Writable: []string{"bazel-out/k8-fastbuild/bin/pkg"},
		Own: []string{"bazel-out/k8-fastbuild/bin/pkg/.rustc-tmp"}, Dirs: []string{"bazel-out/k8-fastbuild/bin/pkg/out_dir"}}
	dir := b.TempDir()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := NewView(dir, spec); err != nil {
			b.Fatal(err)
		}
	}
}

// TestStampingAuditSeesChanges: a stamping Audit tells whether what is at
// a recorded path changed since it was first recorded: a write, a file
// appearing where there was none, a directory's entries.
func TestStampingAuditSeesChanges(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("one"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	mt := &mount{Mount: Mount{HostPath: dir, GuestPath: "/"}}
	for _, c := range []struct {
		name   string
		rel    string
		dir    bool
		change func()
	}{
		{"a write", "a.txt", false, func() { os.WriteFile(filepath.Join(dir, "a.txt"), []byte("two"), 0o644) }},
		{"a file appearing", "b.txt", false, func() { os.WriteFile(filepath.Join(dir, "b.txt"), nil, 0o644) }},
		{"a directory's entries", "sub", true, func() { os.WriteFile(filepath.Join(dir, "sub", "c.txt"), nil, 0o644) }},
	} {
		a := NewStampingAudit()
		a.record(mt, c.rel, c.dir)
		if !a.Unchanged() {
			t.Fatalf("%s: changed before anything changed", c.name)
		}
		time.Sleep(10 * time.Millisecond) // a later ctime on coarse clocks
		c.change()
		if a.Unchanged() {
			t.Errorf("%s: unchanged", c.name)
		}
	}
}
