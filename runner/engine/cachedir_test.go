package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultCacheDirWithoutHome(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("TMPDIR", tmp)
	dir := DefaultCacheDir()
	if !strings.HasPrefix(dir, tmp+string(filepath.Separator)) {
		t.Fatalf("DefaultCacheDir() = %q, want a directory below %s", dir, tmp)
	}
	fi, err := os.Stat(filepath.Dir(dir))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("%s: %v, mode %v; want a private directory", filepath.Dir(dir), err, fi.Mode())
	}
}

func TestDefaultCacheDirRefusesASharedDirectory(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("HOME", "")
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("TMPDIR", tmp)
	// Another user's, or anybody's: a directory others may write.
	shared := filepath.Join(tmp, filepath.Base(filepath.Dir(DefaultCacheDir())))
	os.RemoveAll(shared)
	if err := os.Mkdir(shared, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(shared, 0o777)
	if dir := DefaultCacheDir(); dir != "" {
		t.Errorf("DefaultCacheDir() = %q in a directory anybody may write", dir)
	}
}
