package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMacroSrcsEdition: the key appended to a proc-macro root is written
// for the crate's edition (an unsafe attribute from 2024 on); --edition is
// required with --root and checked, and a refused call writes nothing.
func TestMacroSrcsEdition(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "lib.rs")
	if err := os.WriteFile(src, []byte("#[proc_macro] pub fn m(i: TokenStream) -> TokenStream { i }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "out", "lib.rs")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	run := func(extra ...string) (int, string) {
		var stderr bytes.Buffer
		args := append([]string{"--copy", src + "=" + dst, "--root", src, "--key", "m-0123456789abcdef"}, extra...)
		return macroSrcsMain(args, &stderr), stderr.String()
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{nil, "--root needs --key and --edition"},
		{[]string{"--edition", "2022"}, `--edition "2022": want 2015, 2018, 2021 or 2024`},
	} {
		code, stderr := run(bad.args...)
		if code == 0 || !strings.Contains(stderr, bad.want) {
			t.Errorf("%v: exit %d, %q; want a failure saying %q", bad.args, code, stderr, bad.want)
		}
		if _, err := os.Stat(dst); !os.IsNotExist(err) {
			t.Fatalf("%v: %s was written", bad.args, dst)
		}
	}
	var stderr bytes.Buffer
	if code := macroSrcsMain([]string{"--copy", src + "=" + dst, "--edition", "2021"}, &stderr); code == 0 || !strings.Contains(stderr.String(), "--edition is for --root") {
		t.Errorf("--edition without --root: exit %d, %q", code, stderr.String())
	}
	for edition, want := range map[string]string{"2021": `#[link_section = "rules_rustc_wasm.macro"]`, "2024": `#[unsafe(link_section = "rules_rustc_wasm.macro")]`} {
		if code, stderr := run("--edition", edition); code != 0 {
			t.Fatalf("edition %s: exit %d: %s", edition, code, stderr)
		}
		out, err := os.ReadFile(dst)
		if err != nil || !strings.Contains(string(out), want) {
			t.Errorf("edition %s: want %s in\n%s (%v)", edition, want, out, err)
		}
	}
}

// TestMacroSrcsWritesAllOrNothing: when one output cannot be written, none
// is left, not even what an earlier run wrote at another's path.
func TestMacroSrcsWritesAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "lib.rs")
	os.WriteFile(src, []byte("pub fn f() {}\n"), 0o644)
	good, blocked := filepath.Join(dir, "out", "lib.rs"), filepath.Join(dir, "file", "lib.rs")
	os.WriteFile(filepath.Join(dir, "file"), nil, 0o644)
	os.MkdirAll(filepath.Dir(good), 0o755)
	os.WriteFile(good, []byte("stale"), 0o644)
	var stderr bytes.Buffer
	if code := macroSrcsMain([]string{"--copy", src + "=" + good, "--copy", src + "=" + blocked}, &stderr); code != exitFailure || !strings.Contains(stderr.String(), "runner macro-srcs: output "+blocked+": ") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if ents, _ := os.ReadDir(filepath.Dir(good)); len(ents) != 0 {
		t.Errorf("out/ holds %v after a failure", ents)
	}
	if code := macroSrcsMain([]string{"--copy", src + "=" + good}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if b, _ := os.ReadFile(good); string(b) != "pub fn f() {}\n" {
		t.Errorf("out/lib.rs: %q", b)
	}
	if ents, _ := os.ReadDir(filepath.Dir(good)); len(ents) != 1 {
		t.Errorf("out/ holds %v: want lib.rs alone", ents)
	}
}

// TestMacroSrcsWasiGate: --wasi-gate-cfg rewrites every copy
// (macrobuild.WasiGate), and a cfg that is not a name is refused by flag.
func TestMacroSrcsWasiGate(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "lib.rs"), filepath.Join(dir, "out.rs")
	os.WriteFile(src, []byte("#[cfg(not(target_os = \"wasi\"))]\nextern crate proc_macro;\n"), 0o644)
	var stderr bytes.Buffer
	if code := macroSrcsMain([]string{"--copy", src + "=" + dst, "--wasi-gate-cfg", "side"}, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if b, _ := os.ReadFile(dst); string(b) != "#[cfg(not(all(target_os = \"wasi\", not(side))))]\nextern crate proc_macro;\n" {
		t.Errorf("%s: %q", dst, b)
	}
	stderr.Reset()
	if code := macroSrcsMain([]string{"--copy", src + "=" + dst, "--wasi-gate-cfg", "a)"}, &stderr); code == 0 || !strings.Contains(stderr.String(), `--wasi-gate-cfg "a)": want a cfg name`) {
		t.Errorf("exit %d: %s", code, stderr.String())
	}
}

// TestMacroSrcsRefusesDestructiveOutputs: an output that is a directory,
// or one of the --copy sources, is refused before anything is removed:
// the directory's tree and the source are left as they were.
func TestMacroSrcsRefusesDestructiveOutputs(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "a.rs")
	os.WriteFile(src, []byte("pub fn a() {}\n"), 0o644)
	somedir := filepath.Join(dir, "somedir")
	os.MkdirAll(filepath.Join(somedir, "deep"), 0o755)
	os.WriteFile(filepath.Join(somedir, "deep", "f"), []byte("mine"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--copy", src + "=" + somedir}, "runner macro-srcs: output " + somedir + ": is a directory"},
		{[]string{"--copy", src + "=" + src}, "runner macro-srcs: output " + src + ": the output is the input --copy " + src},
	} {
		var stderr bytes.Buffer
		if code := macroSrcsMain(c.args, &stderr); code != exitFailure || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, %q; want %q", c.args, code, stderr.String(), c.want)
		}
		if b, err := os.ReadFile(filepath.Join(somedir, "deep", "f")); string(b) != "mine" {
			t.Errorf("%q: somedir/deep/f: %q, %v", c.args, b, err)
		}
		if b, err := os.ReadFile(src); string(b) != "pub fn a() {}\n" {
			t.Errorf("%q: a.rs: %q, %v", c.args, b, err)
		}
	}
}
