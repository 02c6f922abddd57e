package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

// The build scripts themselves, native and wasm, are tested in package
// buildscript; these tests are about the verb's flags and exit statuses.

// buildScript runs "runner build-script ARGS" in-process in dir.
func buildScript(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var stderr bytes.Buffer
	code := buildScriptMain(append([]string{"--cache-dir", cacheDir}, args...), &stderr)
	return code, stderr.String()
}

// shellScript writes an executable shell script into dir.
func shellScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return name
}

func buildScriptDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "pkg"), 0o755)
	return dir
}

var outFlags = []string{"--manifest-dir", "pkg", "--out-dir", "out/o", "--flags-out", "out/flags", "--env-out", "out/env", "--crate", "demo"}

func TestBuildScriptVerb(t *testing.T) {
	dir := buildScriptDir(t)
	script := shellScript(t, dir, "build.sh", `echo "cargo:rustc-cfg=from_script"
echo "cargo:rustc-env=WHERE=$(pwd)"
echo "cargo:warning=hello"
echo generated > "$OUT_DIR/gen.txt"
`)
	args := append(append([]string(nil), outFlags...), "--extra-cfg", "extra", "--wasm-cfg", "not_native", "--", script)
	code, stderr := buildScript(t, dir, args...)
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if stderr != "warning: demo@build-script: hello\n" {
		t.Errorf("stderr %q", stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out", "flags"))
	if string(b) != "--cfg=from_script\n--cfg=extra\n" {
		t.Errorf("flags %q", b)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "out", "env"))
	if want := "WHERE=" + filepath.Join(dir, "pkg") + "\n"; string(b) != want {
		t.Errorf("env %q, want %q", b, want)
	}
	if b, _ = os.ReadFile(filepath.Join(dir, "out", "o", "gen.txt")); string(b) != "generated\n" {
		t.Errorf("gen.txt %q", b)
	}
}

func TestBuildScriptVerbFailure(t *testing.T) {
	dir := buildScriptDir(t)
	script := shellScript(t, dir, "build.sh", `echo "cargo:rustc-cfg=x"; echo oops >&2; echo partial > "$OUT_DIR/p"; exit 7
`)
	code, stderr := buildScript(t, dir, append(append([]string(nil), outFlags...), "--", script)...)
	if code != 7 {
		t.Errorf("exit %d, want 7", code)
	}
	for _, want := range []string{"build script of crate demo failed (exit 7)", "oops", "cargo:rustc-cfg=x"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "out")); len(entries) != 0 {
		t.Errorf("out/ holds %v", entries)
	}
}

func TestBuildScriptVerbTrap(t *testing.T) {
	dir := buildScriptDir(t)
	b, err := os.ReadFile(wasmtest.Wat(t, "trap"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "build.wasm"), b, 0o644)
	code, stderr := buildScript(t, dir, append(append([]string(nil), outFlags...), "--", "build.wasm")...)
	if code != exitTrap || !strings.Contains(stderr, "build script of crate demo failed (trapped)") || !strings.Contains(stderr, "wasm stack:") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "out")); len(entries) != 0 {
		t.Errorf("out/ holds %v", entries)
	}
}

func TestBuildScriptVerbBadFlags(t *testing.T) {
	dir := buildScriptDir(t)
	script := shellScript(t, dir, "build.sh", "exit 0\n")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--frobnicate", "--", script}, "flag provided but not defined: -frobnicate"},
		{"no script", outFlags, "missing SCRIPT"},
		{"no out dir", []string{"--manifest-dir", "pkg", "--", script}, "--out-dir is required"},
		{"no manifest dir", []string{"--out-dir", "out/o", "--", script}, "--manifest-dir is required"},
		{"bad env", append(append([]string(nil), outFlags...), "--env", "NOVALUE", "--", script), `--env "NOVALUE": want NAME=VALUE`},
		{"bad env-path", append(append([]string(nil), outFlags...), "--env-path", "RUSTC", "--", script), `--env-path "RUSTC": want NAME=PATH`},
		{"bad cfg", append(append([]string(nil), outFlags...), "--extra-cfg", "", "--", script), "want NAME or NAME="},
		{"cfg with a line break", append(append([]string(nil), outFlags...), "--wasm-cfg", "a\n-Cpanic=abort", "--", script), "a control character (U+000A)"},
		{"bad timeout", append(append([]string(nil), outFlags...), "--timeout", "-1s", "--", script), "--timeout -1s: want a positive duration"},
		{"out dir is the working directory", []string{"--manifest-dir", "pkg", "--out-dir", ".", "--", script}, "--out-dir .: an output may not be the working directory"},
		{"flags out in the package", []string{"--manifest-dir", "pkg", "--out-dir", "out/o", "--flags-out", "pkg/Cargo.toml", "--", script}, "--flags-out pkg/Cargo.toml: the output lies in --manifest-dir pkg"},
		{"missing script", append(append([]string(nil), outFlags...), "--", "nope.wasm"), "build script nope.wasm: no such file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stderr := buildScript(t, dir, tc.args...)
			if code != exitFailure || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, exitFailure, tc.want)
			}
			if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
				t.Errorf("out/ was created")
			}
		})
	}
	if code, _ := buildScript(t, dir, "--help"); code != 0 {
		t.Errorf("--help: exit %d", code)
	}
}

// TestBuildScriptVerbTimeout: --timeout stops a native script and its
// children and exits 124 (build-script had no timeout).
func TestBuildScriptVerbTimeout(t *testing.T) {
	dir := buildScriptDir(t)
	script := shellScript(t, dir, "build.sh", "sleep 30\n")
	start := time.Now()
	code, stderr := buildScript(t, dir, append(append([]string{"--timeout", "200ms"}, outFlags...), "--", script)...)
	if code != exitTimeout || !strings.Contains(stderr, "build script of crate demo failed (it did not finish within 200ms)") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "out")); len(entries) != 0 {
		t.Errorf("out/ holds %v", entries)
	}
}
