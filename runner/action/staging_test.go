package action

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func entries(t *testing.T, dir string) string {
	t.Helper()
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// TestStagingCommitAndDiscard: outputs, a directory among them, appear
// only on Commit; Discard and Commit leave no staging behind; a killed
// run's staging (its lock held by nobody) is removed by the next Stage.
func TestStagingCommitAndDiscard(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out", ".verb-tmp-0123456789ab"), 0o755)
	outputs := []string{"out/o", "out/flags"}
	st, err := Stage(dir, "verb", outputs)
	if err != nil {
		t.Fatal(err)
	}
	if got := entries(t, filepath.Join(dir, "out")); !strings.HasPrefix(got, ".verb-tmp-") || strings.Contains(got, "0123456789ab") || strings.Count(got, " ") != 1 {
		t.Fatalf("out/ holds %s", got)
	}
	if got := st.Rewrite([]string{"--x=out/o/a", "out/flags"}); got[0] != "--x="+st.Path("out/o")+"/a" || got[1] != st.Path("out/flags") {
		t.Errorf("rewritten: %q", got)
	}
	os.MkdirAll(Resolve(dir, st.Path("out/o")), 0o755)
	os.WriteFile(filepath.Join(Resolve(dir, st.Path("out/o")), "gen.rs"), nil, 0o644)
	if m := st.Missing(); m != "out/flags" {
		t.Errorf("missing %q", m)
	}
	os.WriteFile(Resolve(dir, st.Path("out/flags")), []byte("--cfg=x\n"), 0o644)
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := entries(t, filepath.Join(dir, "out")); got != "flags o" {
		t.Errorf("after Commit, out/ holds %s", got)
	}
	if got := entries(t, filepath.Join(dir, "out", "o")); got != "gen.rs" {
		t.Errorf("out/o holds %s", got)
	}

	st, err = Stage(dir, "verb", []string{"out/other"})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(Resolve(dir, st.Path("out/other")), nil, 0o644)
	st.Discard()
	if got := entries(t, filepath.Join(dir, "out")); got != "flags o" {
		t.Errorf("after Discard, out/ holds %s", got)
	}
}

// TestWriteAll: the outputs appear together, in directories made for them,
// with no staging left; on an error none is left, not even what was there
// before.
func TestWriteAll(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "a"), []byte("stale"), 0o644)
	abs := filepath.Join(dir, "abs", "c")
	if err := WriteAll(dir, "verb", map[string][]byte{"out/a": []byte("A"), "out/sub/b": []byte("B"), abs: []byte("C")}, nil); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{"out/a": "A", "out/sub/b": "B", "abs/c": "C"} {
		if b, err := os.ReadFile(filepath.Join(dir, p)); err != nil || string(b) != want {
			t.Errorf("%s: %q, %v; want %q", p, b, err, want)
		}
	}
	if got := entries(t, filepath.Join(dir, "out")); got != "a sub" {
		t.Errorf("out/ holds %s", got)
	}

	// blocker/x cannot be written: its directory is a file.
	os.WriteFile(filepath.Join(dir, "blocker"), nil, 0o644)
	err := WriteAll(dir, "verb", map[string][]byte{"out/a": []byte("new"), "blocker/x": []byte("X")}, nil)
	if err == nil || !strings.HasPrefix(err.Error(), "output blocker/x: ") {
		t.Fatalf("error %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "a")); !os.IsNotExist(err) {
		t.Errorf("out/a survived a failed WriteAll: %v", err)
	}
	if got := entries(t, filepath.Join(dir, "out")); got != "sub" {
		t.Errorf("after the failure, out/ holds %s", got)
	}
}

// TestWriteAllRefusesBeforeRemoving: an output whose path holds a
// directory, that names an input or a parent of one, or that is a parent
// of the working directory is refused before anything is removed: the
// directory, the input and the other outputs' old files are all left.
func TestWriteAllRefusesBeforeRemoving(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out", "d", "keep"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "d", "keep", "f"), []byte("kept"), 0o644)
	os.WriteFile(filepath.Join(dir, "out", "a"), []byte("old"), 0o644)
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "lib.rs"), []byte("source"), 0o644)
	inputs := []FlagPath{{Flag: "--copy", Path: "src/lib.rs"}}
	for _, c := range []struct {
		outs map[string]string
		want string
	}{
		{map[string]string{"out/a": "A", "out/d": "D"}, "output out/d: is a directory"},
		{map[string]string{"out/a": "A", "src/lib.rs": "S"}, "output src/lib.rs: the output is the input --copy src/lib.rs"},
		{map[string]string{"out/a": "A", "src": "S"}, "output src: the output is a parent of the input --copy src/lib.rs"},
		{map[string]string{"out/a": "A", "..": "P"}, "output ..: an output may not be the working directory or a parent of it"},
	} {
		outs := map[string][]byte{}
		for p, b := range c.outs {
			outs[p] = []byte(b)
		}
		err := WriteAll(dir, "verb", outs, inputs)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v: error %v, want %q", c.outs, err, c.want)
		}
		for p, want := range map[string]string{"out/d/keep/f": "kept", "out/a": "old", "src/lib.rs": "source"} {
			if b, err := os.ReadFile(filepath.Join(dir, p)); string(b) != want {
				t.Errorf("%v: %s holds %q (%v), want %q", c.outs, p, b, err, want)
			}
		}
		if got := entries(t, filepath.Join(dir, "out")); got != "a d" {
			t.Errorf("%v: out/ holds %s", c.outs, got)
		}
	}
}

// TestWriteAllFailuresLeaveNothing: when a write or a rename fails, no
// output is left, nor the staging directory or its lock; a directory that
// blocked a rename is not removed.
func TestWriteAllFailuresLeaveNothing(t *testing.T) {
	for name, c := range map[string]struct {
		block func(t *testing.T, dir string, st *Staging)
		want  string
		left  string // what out/ holds after the failure
	}{
		"write": {
			// A directory at out/b's temporary path: it cannot be written.
			block: func(t *testing.T, dir string, st *Staging) {
				if err := os.Mkdir(Resolve(dir, st.Path("out/b")), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			want: "output out/b: ",
		},
		"rename": {
			// A directory appears at out/b after the checks: out/a is
			// renamed into place, out/b cannot be.
			block: func(t *testing.T, dir string, st *Staging) {
				if err := os.MkdirAll(filepath.Join(dir, "out", "b", "theirs"), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			want: "output out/b: ",
			left: "b",
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			os.WriteFile(filepath.Join(dir, "out", "a"), []byte("old"), 0o644)
			afterStage = func(st *Staging) { c.block(t, dir, st) }
			defer func() { afterStage = nil }()
			err := WriteAll(dir, "verb", map[string][]byte{"out/a": []byte("A"), "out/b": []byte("B")}, nil)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if got := entries(t, filepath.Join(dir, "out")); got != c.left {
				t.Errorf("out/ holds %q, want %q", got, c.left)
			}
			if c.left != "" {
				if got := entries(t, filepath.Join(dir, "out", "b")); got != "theirs" {
					t.Errorf("out/b holds %q", got)
				}
			}
		})
	}
}
