package action

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestExpandParams: @FILE becomes its lines, relative to dir; a control
// character, in an argument or a line, is an error naming where.
func TestExpandParams(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.params"), []byte("x\n\ny z\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.params"), []byte("ok\nb\x1bd\n"), 0o644)
	got, err := ExpandParams(dir, []string{"first", "@a.params", "@"})
	if want := []string{"first", "x", "", "y z", "@"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, %v; want %q", got, err, want)
	}
	if _, err := ExpandParams(dir, []string{"@bad.params"}); err == nil || err.Error() != "parameter file bad.params: line 2: a control character (U+001B) at byte 1" {
		t.Errorf("bad line: %v", err)
	}
	if _, err := ExpandParams(dir, []string{"a\tb"}); err == nil || err.Error() != `argument "a\tb": a control character (U+0009) at byte 1` {
		t.Errorf("bad argument: %v", err)
	}
	if _, err := ExpandParams(dir, []string{"@missing.params"}); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "parameter file missing.params: ") {
		t.Errorf("missing: %v", err)
	}
}

// TestReadLines: the lines of a flag's file, with its own messages.
func TestReadLines(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad"), []byte("b\x7f\n"), 0o644)
	if _, err := ReadLines(dir, "bad"); err == nil || err.Error() != "line 1: a control character (U+007F) at byte 1; each line is one argument, variable or path" {
		t.Errorf("bad line: %v", err)
	}
	if _, err := ReadLines(dir, "missing"); err == nil || err.Error() != "no such file" {
		t.Errorf("missing: %v", err)
	}
}

func TestParseEnvPaths(t *testing.T) {
	got, err := ParseEnvPaths([]string{"A=x/y", "B=c=d"})
	if want := []EnvPath{{Name: "A", Path: "x/y"}, {Name: "B", Path: "c=d"}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range []string{"A", "=x", "A="} {
		if _, err := ParseEnvPaths([]string{bad}); err == nil || err.Error() != `--env-path "`+bad+`": want NAME=PATH` {
			t.Errorf("%q: %v", bad, err)
		}
	}
}
