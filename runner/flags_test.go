package main

import (
	"bytes"
	"flag"
	"strings"
	"testing"
)

// TestParseFlagsOnly: --help ends the verb with 0, a bad flag or a stray
// argument with exitFailure and a line naming the verb.
func TestParseFlagsOnly(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		ok   bool
		err  string
	}{
		{[]string{"--n", "3"}, 0, true, ""},
		{[]string{"--help"}, 0, false, "Usage of runner v"},
		{[]string{"--bad"}, exitFailure, false, "flag provided but not defined: -bad"},
		{[]string{"--n", "3", "stray"}, exitFailure, false, `runner v: unexpected argument "stray"`},
	} {
		var stderr bytes.Buffer
		fs := flag.NewFlagSet("runner v", flag.ContinueOnError)
		fs.SetOutput(&stderr)
		fs.Int("n", 0, "a number")
		code, ok := parseFlagsOnly(fs, c.args, &stderr)
		if code != c.code || ok != c.ok || !strings.Contains(stderr.String(), c.err) {
			t.Errorf("%q: (%d, %v), stderr %q; want (%d, %v), %q", c.args, code, ok, stderr.String(), c.code, c.ok, c.err)
		}
	}
}

// TestVerbsHelp: every verb's --help is its usage text, then "flags:" and
// its flags (newFlagSet), and exits 0.
func TestVerbsHelp(t *testing.T) {
	for _, v := range verbs {
		var out bytes.Buffer
		if code := v.main([]string{"--help"}, strings.NewReader(""), &out, &out); code != 0 {
			t.Errorf("%s --help: exit %d", v.name, code)
		}
		help := out.String()
		usage, flags, ok := strings.Cut(help, "\n\nflags:\n")
		if !strings.HasPrefix(usage, "usage: runner "+v.name+" ") || !ok || !strings.HasPrefix(flags, "  -") || strings.Contains(help, "Usage of") {
			t.Errorf("%s --help:\n%s", v.name, help)
		}
	}
}
