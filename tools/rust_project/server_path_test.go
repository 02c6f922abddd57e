package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The printed path is the executable itself, through the runfiles' link,
// so that it outlives the runfiles tree.
func TestServerPath(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "out", "proc_macro_server")
	os.MkdirAll(filepath.Dir(exe), 0o755)
	os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755)
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, nil, 0o644)
	link := filepath.Join(dir, "runfiles_link")
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	if got, err := serverPath(link); err != nil || got != exe {
		t.Errorf("serverPath(%s) = %q, %v; want %s", link, got, err, exe)
	}
	for path, want := range map[string]string{
		"":                             "no --proc-macro-server given",
		plain:                          "is not an executable file",
		filepath.Dir(exe):              "is not an executable file",
		filepath.Join(dir, "nonesuch"): "no such file",
	} {
		if got, err := serverPath(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("serverPath(%q) = %q, %v; want an error with %q", path, got, err, want)
		}
	}
}
