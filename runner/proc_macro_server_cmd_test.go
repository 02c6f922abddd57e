package main

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestWithDefaultVerb(t *testing.T) {
	for _, c := range []struct {
		args []string
		verb string
		want []string
	}{
		{[]string{"srv"}, "proc-macro-server", []string{"srv", "proc-macro-server"}},
		{[]string{"srv", "--version"}, "proc-macro-server", []string{"srv", "proc-macro-server", "--version"}},
		{[]string{"srv", "rustc", "-x"}, "proc-macro-server", []string{"srv", "rustc", "-x"}},
		{[]string{"runner"}, "", []string{"runner"}},
		{[]string{"runner", "--help"}, "", []string{"runner", "--help"}},
	} {
		if got := withDefaultVerb(c.args, c.verb); !reflect.DeepEqual(got, c.want) {
			t.Errorf("withDefaultVerb(%q, %q) = %q; want %q", c.args, c.verb, got, c.want)
		}
	}
}

func TestProcMacroServerFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		out  string
		err  string
	}{
		{[]string{"--version"}, 0, "protocol version 6, span mode Id", ""},
		{[]string{"--format", "postcard"}, exitFailure, "", `--format "postcard": only json-legacy is served`},
		{[]string{"--macro-max-memory", "4097"}, exitFailure, "", "runner proc-macro-server: --macro-max-memory 4097: want 1 to 4096 (MiB)"},
		{[]string{"--macro-max-memory", "0"}, exitFailure, "", "runner proc-macro-server: --macro-max-memory 0: want 1 to 4096 (MiB)"},
		{[]string{"--macro-timeout", "-1s"}, exitFailure, "", "runner proc-macro-server: --macro-timeout -1s: want a positive duration"},
		{[]string{"stray"}, exitFailure, "", `unexpected argument "stray"`},
		{[]string{"--nonesuch"}, exitFailure, "", "flag provided but not defined: -nonesuch"},
	} {
		var stdout, stderr bytes.Buffer
		code := procMacroServerMain(c.args, strings.NewReader(""), &stdout, &stderr)
		if code != c.code || !strings.Contains(stdout.String(), c.out) || !strings.Contains(stderr.String(), c.err) {
			t.Errorf("proc-macro-server %q: exit %d, stdout %q, stderr %q; want exit %d, %q, %q", c.args, code, stdout.String(), stderr.String(), c.code, c.out, c.err)
		}
	}
}

// The verb serves until its input ends, answering each request on its line.
func TestProcMacroServerSession(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "libgone.wasm")
	in := `{"ApiVersionCheck":{}}` + "\n" + `{"ListMacros":{"dylib_path":"` + missing + `"}}` + "\n"
	var stdout, stderr bytes.Buffer
	if code := procMacroServerMain([]string{"--cache-dir", cacheDir}, strings.NewReader(in), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 || lines[0] != `{"ApiVersionCheck":6}` || !strings.Contains(lines[1], `{"ListMacros":{"Err":"proc macro `+missing+`: no such file`) {
		t.Errorf("responses %q", lines)
	}
}
