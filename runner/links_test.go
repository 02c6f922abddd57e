package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

// TestFollowedLinkCannotBeMovedOut: under --dir-follow-links, a host link
// box/sub/up -> ../file.txt resolves inside the mount. Renamed or
// hard-linked to box/up, or with its directory moved up, it would lead to
// HOST/file.txt; each of these is refused (EPERM, 63) and the host file is
// neither read nor written.
func TestFollowedLinkCannotBeMovedOut(t *testing.T) {
	prog := wasmtest.C(t, false, "paths.c")
	host := t.TempDir()
	box := filepath.Join(host, "box")
	os.MkdirAll(filepath.Join(box, "sub"), 0o755)
	os.MkdirAll(filepath.Join(box, "deep", "er"), 0o755)
	os.WriteFile(filepath.Join(host, "file.txt"), []byte("outside"), 0o644)
	os.WriteFile(filepath.Join(box, "file.txt"), []byte("inside"), 0o644)
	os.Symlink("../file.txt", filepath.Join(box, "sub", "up"))
	os.Symlink("../../file.txt", filepath.Join(box, "deep", "er", "up"))
	os.Symlink("file.txt", filepath.Join(box, "sibling"))
	r := runVerb(t, "", "--dir-follow-links", box+"::/", prog,
		"read:sub/up",
		"link:sub/up:up",
		"read:up",
		"rename:sub/up:up",
		"read:up",
		"rename:deep/er:er",
		"read:er/up",
		"mkdir:sub/sub2",
		"rename:sub/up:sub/up2", // same directory: resolves as before
		"read:sub/up2",
		"rename:sibling:sub/sibling", // would name sub/file.txt: stays inside
	)
	want := `content sub/up: inside
read sub/up -> 0
link sub/up -> 63
read up -> 44
rename sub/up -> 63
read up -> 44
rename deep/er -> 63
read er/up -> 44
mkdir sub/sub2 -> 0
rename sub/up -> 0
content sub/up2: inside
read sub/up2 -> 0
rename sibling -> 0
`
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d, got:\n%s\nwant:\n%s\nstderr: %s", r.code, r.stdout, want, r.stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(host, "file.txt")); string(b) != "outside" {
		t.Fatalf("HOST/file.txt holds %q", b)
	}
	for _, p := range []string{"up", "er"} {
		if _, err := os.Lstat(filepath.Join(box, p)); !os.IsNotExist(err) {
			t.Errorf("box/%s exists: %v", p, err)
		}
	}
}

// TestGuestCannotPlantOutwardLinks: a strict --dir run cannot leave a link
// that a later link-following run over the same directory would follow out:
// not by creating it, nor by moving an inward one where it leads out.
func TestGuestCannotPlantOutwardLinks(t *testing.T) {
	prog := wasmtest.C(t, false, "paths.c")
	host := t.TempDir()
	box := filepath.Join(host, "box")
	os.MkdirAll(filepath.Join(box, "d", "e"), 0o755)
	os.WriteFile(filepath.Join(host, "outside"), []byte("outside"), 0o644)
	os.WriteFile(filepath.Join(box, "file"), []byte("inside"), 0o644)
	os.Symlink("..", filepath.Join(box, "parent")) // a host link out
	r := runVerb(t, "", "--dir", box+"::/", prog,
		"symlink:../outside:gl",
		"symlink:d/../../outside:gl2", // ".." after a name
		"symlink:parent/outside:gl3",  // through a host link: as reachable as parent/ itself
		"symlink:../file:d/in",
		"symlink:../../file:d/e/in2",
		"rename:d/in:moved",
		"link:d/in:linked",
		"rename:d/e:e2",
		"symlink:file:ok",
	)
	want := `symlink ../outside -> 63
symlink d/../../outside -> 63
symlink parent/outside -> 0
symlink ../file -> 0
symlink ../../file -> 0
rename d/in -> 63
link d/in -> 63
rename d/e -> 63
symlink file -> 0
`
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d, got:\n%s\nwant:\n%s\nstderr: %s", r.code, r.stdout, want, r.stderr)
	}
	for _, p := range []string{"gl", "gl2", "moved", "linked", "e2"} {
		if _, err := os.Lstat(filepath.Join(box, p)); !os.IsNotExist(err) {
			t.Errorf("box/%s was left: %v", p, err)
		}
	}
	// A later run that follows host links finds nothing leading out.
	r = runVerb(t, "", "--dir-follow-links", box+"::/", prog, "read:gl", "read:moved", "read:d/in", "read:ok")
	want = `read gl -> 44
read moved -> 44
content d/in: inside
read d/in -> 0
content ok: inside
read ok -> 0
`
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d, got:\n%s\nwant:\n%s\nstderr: %s", r.code, r.stdout, want, r.stderr)
	}
}

// TestRunAuditFile: "runner run --audit-file" lists what the guest opened,
// files and directories, relative to the current directory.
func TestRunAuditFile(t *testing.T) {
	prog := wasmtest.C(t, false, "paths.c")
	box := t.TempDir()
	os.MkdirAll(filepath.Join(box, "sub"), 0o755)
	os.WriteFile(filepath.Join(box, "sub", "f"), []byte("x"), 0o644)
	audit := filepath.Join(t.TempDir(), "run.audit")
	wd, _ := os.Getwd()
	os.Chdir(box)
	defer os.Chdir(wd)
	r := runVerb(t, "", "--audit-file", audit, "--dir", ".::/", prog, "read:sub/f", "read:sub/f", "open-under:sub:f", "open:missing")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	if want := "# rules_rustc_wasm audit v1\nsub/\nsub/f\n"; string(b) != want {
		t.Errorf("audit:\n%s\nwant:\n%s", b, want)
	}
}
