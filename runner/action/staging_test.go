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
	if err := WriteAll(dir, "verb", map[string][]byte{"out/a": []byte("A"), "out/sub/b": []byte("B"), abs: []byte("C")}); err != nil {
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
	err := WriteAll(dir, "verb", map[string][]byte{"out/a": []byte("new"), "blocker/x": []byte("X")})
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
