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
