package hostpath

import (
	"os"
	"path/filepath"
	"testing"
)

// TestResolveExisting: the links of the part that exists are resolved,
// the part that does not is kept.
func TestResolveExisting(t *testing.T) {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "real", "sub"), 0o755)
	os.Symlink(filepath.Join(dir, "real"), filepath.Join(dir, "link"))
	for _, c := range []struct{ in, want string }{
		{filepath.Join(dir, "link", "sub"), filepath.Join(dir, "real", "sub")},
		{filepath.Join(dir, "link", "new", "out"), filepath.Join(dir, "real", "new", "out")},
		{filepath.Join(dir, "plain", "new"), filepath.Join(dir, "plain", "new")},
	} {
		if got := ResolveExisting(c.in); got != c.want {
			t.Errorf("ResolveExisting(%s) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestGuestPath(t *testing.T) {
	for rel, want := range map[string]string{".": "/", "pkg": "/pkg", "external/r/p": "/external/r/p", "": "/", "a/../b": "/b"} {
		if got := GuestPath(rel); got != want {
			t.Errorf("GuestPath(%q) = %q, want %q", rel, got, want)
		}
	}
}
