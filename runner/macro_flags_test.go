package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// TestMacroLimitsFlags: the flags reach the sandbox's Limits, threads only
// when asked.
func TestMacroLimitsFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want macroexpand.Limits
	}{
		{nil, macroexpand.Limits{Timeout: macroexpand.DefaultTimeout, MaxMemoryMiB: macroexpand.DefaultMemoryMiB}},
		{[]string{"--macro-timeout", "2s", "--macro-max-memory", "64", "--macro-threads"}, macroexpand.Limits{Timeout: 2 * time.Second, MaxMemoryMiB: 64, Threads: true}},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var m macroLimits
		m.register(fs, "")
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		if got := m.limits(); got != c.want {
			t.Errorf("%q: got %+v, want %+v", c.args, got, c.want)
		}
	}
}

// TestMacroLimitsCheck: the flags' ranges, named by flag; a size that
// does not fit Limits' 32 bits is refused, not wrapped to a small cap.
func TestMacroLimitsCheck(t *testing.T) {
	for _, c := range []struct {
		args    []string
		wantErr string
	}{
		{nil, ""},
		{[]string{"--macro-max-memory", "1"}, ""},
		{[]string{"--macro-max-memory", "4096"}, ""},
		{[]string{"--macro-max-memory", "4097"}, "--macro-max-memory 4097: want 1 to 4096 (MiB)"},
		{[]string{"--macro-max-memory", "0"}, "--macro-max-memory 0: want 1 to 4096 (MiB)"},
		{[]string{"--macro-max-memory", "4294967297"}, "--macro-max-memory 4294967297: want 1 to 4096 (MiB)"},
		{[]string{"--macro-timeout", "0s"}, "--macro-timeout 0s: want a positive duration"},
		{[]string{"--macro-timeout", "-1s"}, "--macro-timeout -1s: want a positive duration"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var m macroLimits
		m.register(fs, "")
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		err := m.check()
		if got := fmt.Sprint(err); (err == nil) != (c.wantErr == "") || (err != nil && got != c.wantErr) {
			t.Errorf("%q: err %v, want %q", c.args, err, c.wantErr)
		}
	}
}

// TestMacroMemoFlags: --no-macro-cache keeps no memo, a --macro-cache-dir
// that others may write is refused by name, and so is a size of zero.
func TestMacroMemoFlags(t *testing.T) {
	shared := filepath.Join(t.TempDir(), "shared")
	os.Mkdir(shared, 0o777)
	os.Chmod(shared, 0o777)
	own := filepath.Join(t.TempDir(), "memo")
	for _, c := range []struct {
		args    []string
		memo    bool
		wantErr string
	}{
		{[]string{"--macro-cache-dir", own}, true, ""},
		{[]string{"--macro-cache-dir", own, "--no-macro-cache"}, false, ""},
		{[]string{"--macro-cache-dir", shared}, false, "--macro-cache-dir " + shared},
		{[]string{"--macro-cache-dir", own, "--macro-cache-max-mib", "0"}, false, "--macro-cache-max-mib 0"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var m macroMemoFlags
		m.register(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		memo, err := m.open()
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%q: err %v, want one naming %q", c.args, err, c.wantErr)
			}
			continue
		}
		if err != nil || (memo != nil) != c.memo {
			t.Errorf("%q: memo %v, err %v", c.args, memo, err)
		}
	}
}
