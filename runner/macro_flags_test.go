package main

import (
	"flag"
	"io"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// TestMacroLimitsFlags: the flags reach the policy's Limits, threads only
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
