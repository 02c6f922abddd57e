package action

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteAudit: the one format of both verbs' audit files; the file's
// directory is made.
func TestWriteAudit(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		a    Audit
		want string
	}{
		{Audit{Outputs: []string{"out/a.rmeta", "out/a.rlib"}, View: "declared-inputs", Paths: []string{"src/", "src/lib.rs"}},
			AuditHeader + "\n# output out/a.rmeta\n# output out/a.rlib\n# view declared-inputs\nsrc/\nsrc/lib.rs\n"},
		{Audit{Paths: []string{"/abs/f", "sub/"}}, AuditHeader + "\n/abs/f\nsub/\n"},
	} {
		file := filepath.Join(dir, "new", "x.audit")
		if err := WriteAudit(file, c.a); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(file); string(b) != c.want {
			t.Errorf("got:\n%s\nwant:\n%s", b, c.want)
		}
	}
}
