package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/build"
)

const debianRegistry = "/usr/share/cargo/registry"

// testCargo returns the cargo the tests use: $VENDOR_TEST_CARGO when set,
// else Debian's when installed, else the first on PATH. It skips the test when
// there is none, or no Debian crate sources.
func testCargo(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(debianRegistry, "serde-1.0.152")); err != nil {
		t.Skipf("Debian's crate sources are not installed (%v)", err)
	}
	if c := os.Getenv("VENDOR_TEST_CARGO"); c != "" {
		return c
	}
	if _, err := os.Stat("/usr/bin/cargo"); err == nil {
		return "/usr/bin/cargo"
	}
	c, err := exec.LookPath("cargo")
	if err != nil {
		t.Skip("no cargo")
	}
	return c
}

// allCargos returns every distinct cargo on this machine.
func allCargos(t *testing.T) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range []string{"/usr/bin/cargo", "/root/.cargo/bin/cargo", "cargo"} {
		p, err := exec.LookPath(c)
		if err != nil {
			continue
		}
		r, _ := filepath.EvalSymlinks(p)
		if !seen[r] {
			seen[r] = true
			out = append(out, p)
		}
	}
	return out
}

// newWorkspace makes a Bazel workspace with testdata/demo as third_party/.
func newWorkspace(t *testing.T) string {
	t.Helper()
	ws := t.TempDir()
	if err := os.WriteFile(filepath.Join(ws, "WORKSPACE"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	copyTree(t, "testdata/demo", filepath.Join(ws, "third_party"))
	return ws
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

type result struct {
	code           int
	stdout, stderr string
}

func vendor(t *testing.T, ws string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(k string) string {
		if k == "BUILD_WORKSPACE_DIRECTORY" {
			return ws
		}
		return ""
	}
	code := run(args, getenv, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func demoArgs(cargo string, extra ...string) []string {
	return append([]string{
		"--manifest=third_party/Cargo.toml",
		"--sources=" + debianRegistry,
		"--out=third_party/crates",
		"--cargo=" + cargo,
	}, extra...)
}

func mustVendor(t *testing.T, ws string, args ...string) {
	t.Helper()
	if r := vendor(t, ws, args...); r.code != 0 {
		t.Fatalf("vendor %v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
	}
}

func readOut(t *testing.T, ws string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, name := range []string{"BUILD.bazel", "crates.bzl", "extensions.bzl"} {
		data, err := os.ReadFile(filepath.Join(ws, "third_party/crates", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = data
	}
	return files
}

// repo is one crate_repository(...) of crates.bzl, its BUILD parsed.
type repo struct {
	attrs *build.Rule
	build *build.File
}

func (r repo) rule(t *testing.T, name string) *build.Rule {
	t.Helper()
	for _, rule := range r.build.Rules("") {
		if rule.Name() == name {
			return rule
		}
	}
	return nil
}

func parseCratesBzl(t *testing.T, data []byte) map[string]repo {
	t.Helper()
	f, err := build.ParseBzl("crates.bzl", data)
	if err != nil {
		t.Fatalf("crates.bzl does not parse: %v", err)
	}
	var loads []string
	repos := map[string]repo{}
	for _, stmt := range f.Stmt {
		switch s := stmt.(type) {
		case *build.LoadStmt:
			loads = append(loads, s.Module.Value)
		case *build.DefStmt:
			if s.Name != "crate_repositories" {
				t.Errorf("unexpected def %s", s.Name)
			}
			for _, b := range s.Body {
				c, ok := b.(*build.CallExpr)
				if !ok {
					continue
				}
				r := &build.Rule{Call: c}
				if r.Kind() != "crate_repository" {
					t.Fatalf("unexpected call %s", r.Kind())
				}
				content := r.AttrString("build_file_content")
				bf, err := build.ParseBuild(r.Name()+"/BUILD.bazel", []byte(content))
				if err != nil {
					t.Fatalf("BUILD of %s does not parse: %v\n%s", r.Name(), err, content)
				}
				if got := build.Format(bf); string(got) != content {
					t.Errorf("BUILD of %s is not buildifier-formatted", r.Name())
				}
				repos[r.Name()] = repo{r, bf}
			}
		}
	}
	if !reflect.DeepEqual(loads, []string{"@rules_rustc_wasm//crates:repositories.bzl"}) {
		t.Errorf("crates.bzl loads %v", loads)
	}
	return repos
}

func strs(t *testing.T, r *build.Rule, attr string) []string {
	t.Helper()
	if r == nil {
		t.Fatalf("no rule for %s", attr)
	}
	return r.AttrStrings(attr)
}

func dict(t *testing.T, r *build.Rule, attr string) map[string]string {
	t.Helper()
	d, ok := r.Attr(attr).(*build.DictExpr)
	if !ok {
		return nil
	}
	m := map[string]string{}
	for _, kv := range d.List {
		m[kv.Key.(*build.StringExpr).Value] = kv.Value.(*build.StringExpr).Value
	}
	return m
}

func contains(list []string, want ...string) bool {
	for _, w := range want {
		found := false
		for _, s := range list {
			found = found || s == w
		}
		if !found {
			return false
		}
	}
	return true
}

func TestGenerate(t *testing.T) {
	cargo := testCargo(t)
	ws := newWorkspace(t)
	mustVendor(t, ws, demoArgs(cargo)...)
	files := readOut(t, ws)

	// BUILD.bazel: one alias per direct dependency, named as in Cargo.toml.
	bf, err := build.ParseBuild("BUILD.bazel", files["BUILD.bazel"])
	if err != nil {
		t.Fatal(err)
	}
	aliases := map[string]string{}
	for _, r := range bf.Rules("alias") {
		aliases[r.Name()] = r.AttrString("actual")
		if !reflect.DeepEqual(r.AttrStrings("visibility"), []string{"//visibility:public"}) {
			t.Errorf("alias %s is not public", r.Name())
		}
	}
	wantAliases := map[string]string{
		"ident":       "@crates__unicode-ident-1.0.0//:unicode_ident", // renamed
		"local":       "@crates__local-0.2.0//:local",
		"proc-macro2": "@crates__proc-macro2-1.0.47//:proc_macro2",
		"quote":       "@crates__quote-1.0.21//:quote",
		"serde":       "@crates__serde-1.0.152//:serde",
		"syn":         "@crates__syn-1.0.107//:syn",
		"thiserror":   "@crates__thiserror-1.0.38//:thiserror",
	}
	if !reflect.DeepEqual(aliases, wantAliases) {
		t.Errorf("aliases:\n got %v\nwant %v", aliases, wantAliases)
	}

	repos := parseCratesBzl(t, files["crates.bzl"])
	var names []string
	for n := range repos {
		names = append(names, n)
	}
	sort.Strings(names)
	wantNames := []string{
		"crates__local-0.2.0", "crates__proc-macro2-1.0.47", "crates__quote-1.0.21", "crates__serde-1.0.152",
		"crates__serde_derive-1.0.152", "crates__syn-1.0.107", "crates__thiserror-1.0.38",
		"crates__thiserror-impl-1.0.38", "crates__unicode-ident-1.0.0",
	}
	if !reflect.DeepEqual(names, wantNames) {
		t.Errorf("repositories:\n got %v\nwant %v", names, wantNames)
	}
	for _, n := range names {
		load := repos[n].build.Stmt[0].(*build.LoadStmt)
		if load.Module.Value != "@rules_rustc_wasm//rules:defs.bzl" {
			t.Errorf("%s loads %s", n, load.Module.Value)
		}
	}

	// Registry crates come from --sources by absolute path; the path dependency
	// inside the workspace by a workspace-relative one.
	if got := repos["crates__syn-1.0.107"].attrs.AttrString("path"); got != debianRegistry+"/syn-1.0.107" {
		t.Errorf("syn path = %q", got)
	}
	if got := repos["crates__local-0.2.0"].attrs.AttrString("path"); got != "third_party/local" {
		t.Errorf("local path = %q", got)
	}
	if got := build.FormatString(repos["crates__local-0.2.0"].attrs.Attr("path_anchor")); got != `Label("//third_party/crates:BUILD.bazel")` {
		t.Errorf("local path_anchor = %s", got)
	}
	if repos["crates__syn-1.0.107"].attrs.Attr("path_anchor") != nil {
		t.Errorf("syn has a path_anchor but an absolute path")
	}

	syn := repos["crates__syn-1.0.107"].rule(t, "syn")
	if syn.Kind() != "wasm_rust_library" {
		t.Errorf("syn is a %s", syn.Kind())
	}
	if f := strs(t, syn, "crate_features"); !contains(f, "proc-macro", "derive", "parsing", "printing", "quote") || !sort.StringsAreSorted(f) {
		t.Errorf("syn crate_features = %v", f)
	}
	if got, want := strs(t, syn, "rustc_flags"), []string{"--cap-lints=allow", "-Cdebuginfo=0", "--cfg=demo_cfg"}; !reflect.DeepEqual(got, want) {
		t.Errorf("syn rustc_flags = %v, want %v", got, want)
	}
	if got, want := strs(t, syn, "deps"), []string{"@crates__proc-macro2-1.0.47//:proc_macro2", "@crates__quote-1.0.21//:quote", "@crates__unicode-ident-1.0.0//:unicode_ident"}; !reflect.DeepEqual(got, want) {
		t.Errorf("syn deps = %v, want %v", got, want)
	}
	if syn.AttrString("crate_root") != "src/lib.rs" || syn.AttrString("edition") != "2018" || syn.AttrString("version") != "1.0.107" {
		t.Errorf("syn crate_root/edition/version = %q %q %q", syn.AttrString("crate_root"), syn.AttrString("edition"), syn.AttrString("version"))
	}
	// Cargo's package variables: CARGO_PKG_NAME and the [package] fields.
	if got, want := dict(t, syn, "cargo_package"), map[string]string{
		"authors": "David Tolnay <dtolnay@gmail.com>", "description": "Parser for Rust source code",
		"license": "MIT OR Apache-2.0", "readme": "README.md", "repository": "https://github.com/dtolnay/syn", "rust_version": "1.31",
	}; syn.AttrString("pkg_name") != "syn" || !reflect.DeepEqual(got, want) {
		t.Errorf("syn pkg_name %q cargo_package %q, want syn %q", syn.AttrString("pkg_name"), got, want)
	}

	serde := repos["crates__serde-1.0.152"].rule(t, "serde")
	if f := strs(t, serde, "crate_features"); !contains(f, "derive", "serde_derive", "std", "default") {
		t.Errorf("serde crate_features = %v", f)
	}
	if got := strs(t, serde, "proc_macro_deps"); !reflect.DeepEqual(got, []string{"@crates__serde_derive-1.0.152//:serde_derive"}) {
		t.Errorf("serde proc_macro_deps = %v", got)
	}
	if serde.AttrString("edition") != "2015" {
		t.Errorf("serde edition = %q, want 2015 (absent from its Cargo.toml)", serde.AttrString("edition"))
	}
	if d := repos["crates__serde_derive-1.0.152"].rule(t, "serde_derive"); d == nil || d.Kind() != "wasm_proc_macro" {
		t.Errorf("serde_derive is not a wasm_proc_macro")
	}

	// syn 1 leaves out proc_macro on WASI: built into wasm macros, its
	// gate is turned (a built-in default); no other crate's is.
	if gate := repos["crates__syn-1.0.107"].rule(t, "syn").Attr("wasm_macro_wasi_gate"); gate == nil || build.FormatString(gate) != "True" {
		t.Errorf("syn wasm_macro_wasi_gate = %v, want True", gate)
	}
	if gate := serde.Attr("wasm_macro_wasi_gate"); gate != nil {
		t.Errorf("serde wasm_macro_wasi_gate = %v, want none", build.FormatString(gate))
	}

	pm2 := repos["crates__proc-macro2-1.0.47"]
	lib := pm2.rule(t, "proc_macro2")
	if lib.AttrString("build_script") != ":build_script" {
		t.Errorf("proc_macro2 build_script = %q", lib.AttrString("build_script"))
	}
	bs := pm2.rule(t, "build_script")
	if bs == nil || bs.Kind() != "cargo_build_script" {
		t.Fatalf("proc-macro2 has no cargo_build_script")
	}
	if got := strs(t, bs, "wasm_flavour_cfgs"); !reflect.DeepEqual(got, []string{"use_proc_macro", "wrap_proc_macro"}) {
		t.Errorf("proc-macro2 wasm_flavour_cfgs = %v", got)
	}
	if bs.AttrString("crate_root") != "build.rs" || bs.AttrString("pkg_name") != "proc-macro2" ||
		!reflect.DeepEqual(bs.AttrStrings("crate_features"), lib.AttrStrings("crate_features")) {
		t.Errorf("proc-macro2 build script: crate_root %q pkg_name %q features %v", bs.AttrString("crate_root"), bs.AttrString("pkg_name"), bs.AttrStrings("crate_features"))
	}
	if got, want := dict(t, bs, "cargo_package"), dict(t, lib, "cargo_package"); len(got) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("proc-macro2 build script cargo_package %q, want the library's %q", got, want)
	}

	// Overrides: skip_build_script, rustc_env, extra features.
	te := repos["crates__thiserror-1.0.38"]
	if te.rule(t, "build_script") != nil || te.rule(t, "thiserror").Attr("build_script") != nil {
		t.Errorf("thiserror's build script is not skipped")
	}
	if got := dict(t, te.rule(t, "thiserror"), "rustc_env"); !reflect.DeepEqual(got, map[string]string{"DEMO_ENV": "1"}) {
		t.Errorf("thiserror rustc_env = %v", got)
	}
	if f := strs(t, te.rule(t, "thiserror"), "crate_features"); !contains(f, "extra") {
		t.Errorf("thiserror crate_features = %v", f)
	}
	if got := strs(t, te.rule(t, "thiserror"), "proc_macro_deps"); !reflect.DeepEqual(got, []string{"@crates__thiserror-impl-1.0.38//:thiserror_impl"}) {
		t.Errorf("thiserror proc_macro_deps = %v", got)
	}

	// The path dependency: a renamed dependency, a cfg(windows) dependency
	// left out, a cfg(unix|wasi) one kept, build-dependencies, links.
	loc := repos["crates__local-0.2.0"]
	ll := loc.rule(t, "local")
	if got, want := strs(t, ll, "deps"), []string{"@crates__proc-macro2-1.0.47//:proc_macro2", "@crates__quote-1.0.21//:quote"}; !reflect.DeepEqual(got, want) {
		t.Errorf("local deps = %v, want %v (syn is cfg(windows))", got, want)
	}
	if got := dict(t, ll, "aliases"); !reflect.DeepEqual(got, map[string]string{"@crates__proc-macro2-1.0.47//:proc_macro2": "pm"}) {
		t.Errorf("local aliases = %v", got)
	}
	lb := loc.rule(t, "build_script")
	if lb == nil {
		t.Fatal("local has no build script")
	}
	if got := strs(t, lb, "deps"); !reflect.DeepEqual(got, []string{"@crates__unicode-ident-1.0.0//:unicode_ident"}) {
		t.Errorf("local build script deps = %v", got)
	}
	if lb.AttrString("links") != "demo_local" {
		t.Errorf("local links = %q", lb.AttrString("links"))
	}
	if got := dict(t, lb, "build_script_env"); !reflect.DeepEqual(got, map[string]string{"DEMO_BUILD": "yes"}) {
		t.Errorf("local build_script_env = %v", got)
	}
	// Empty attributes are left out.
	for _, attr := range []string{"rustc_env", "aliases", "proc_macro_deps"} {
		if lib.Attr(attr) != nil {
			t.Errorf("proc_macro2 has an empty %s", attr)
		}
	}

	// extensions.bzl: a module extension calling crate_repositories().
	ef, err := build.ParseBzl("extensions.bzl", files["extensions.bzl"])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files["extensions.bzl"]), `load("//third_party/crates:crates.bzl", "crate_repositories")`) &&
		!strings.Contains(string(files["extensions.bzl"]), "\"//third_party/crates:crates.bzl\",\n    \"crate_repositories\"") {
		t.Errorf("extensions.bzl does not load crates.bzl:\n%s", files["extensions.bzl"])
	}
	found := false
	for _, s := range ef.Stmt {
		if a, ok := s.(*build.AssignExpr); ok && build.FormatString(a.LHS) == "crates" && strings.HasPrefix(build.FormatString(a.RHS), "module_extension(") {
			found = true
		}
	}
	if !found {
		t.Errorf("extensions.bzl has no crates = module_extension(...)")
	}
	if strings.Contains(string(files["crates.bzl"]), "module_extension") {
		t.Errorf("crates.bzl mentions module_extension (Bazel 4 loads it)")
	}
}

func TestDeterministicAndIdempotent(t *testing.T) {
	cargo := testCargo(t)
	ws1, ws2 := newWorkspace(t), newWorkspace(t)
	mustVendor(t, ws1, demoArgs(cargo)...)
	first := readOut(t, ws1)
	r := vendor(t, ws1, demoArgs(cargo)...)
	if r.code != 0 || !strings.Contains(r.stdout, "0 file(s) changed") {
		t.Errorf("second run: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
	if second := readOut(t, ws1); !reflect.DeepEqual(first, second) {
		t.Errorf("second run changed the output")
	}
	// Another workspace, and every cargo on this machine: same bytes.
	for _, c := range allCargos(t) {
		os.Remove(filepath.Join(ws2, "third_party/Cargo.lock"))
		mustVendor(t, ws2, demoArgs(c)...)
		for name, data := range readOut(t, ws2) {
			if !bytes.Equal(data, first[name]) {
				t.Errorf("%s differs between workspaces (cargo %s)", name, c)
			}
		}
	}
	entries, _ := os.ReadDir(filepath.Join(ws1, "third_party/crates"))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestCheck(t *testing.T) {
	cargo := testCargo(t)
	ws := newWorkspace(t)
	mustVendor(t, ws, demoArgs(cargo)...)
	if r := vendor(t, ws, demoArgs(cargo, "--check")...); r.code != 0 {
		t.Fatalf("--check on fresh output: exit %d\n%s", r.code, r.stderr)
	}

	// Edit the manifest: a new override changes one crate's BUILD.
	manifest := filepath.Join(ws, "third_party/Cargo.toml")
	data, _ := os.ReadFile(manifest)
	data = append(data, "\n[package.metadata.rules_rustc_wasm.crates.quote]\ncfgs = [\"edited\"]\n"...)
	os.WriteFile(manifest, data, 0o644)
	before := readOut(t, ws)
	r := vendor(t, ws, demoArgs(cargo, "--check")...)
	if r.code == 0 || !strings.Contains(r.stderr, "stale: third_party/crates/crates.bzl") {
		t.Errorf("--check after an edit: exit %d\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "BUILD.bazel") || strings.Contains(r.stderr, "extensions.bzl") {
		t.Errorf("--check names files that are up to date:\n%s", r.stderr)
	}
	if !reflect.DeepEqual(before, readOut(t, ws)) {
		t.Errorf("--check wrote files")
	}

	os.Remove(filepath.Join(ws, "third_party/crates/extensions.bzl"))
	r = vendor(t, ws, demoArgs(cargo, "--check")...)
	if r.code == 0 || !strings.Contains(r.stderr, "missing: third_party/crates/extensions.bzl") {
		t.Errorf("--check with a file missing: exit %d\n%s", r.code, r.stderr)
	}
	mustVendor(t, ws, demoArgs(cargo)...)
	if r := vendor(t, ws, demoArgs(cargo, "--check")...); r.code != 0 {
		t.Errorf("--check after regenerating: exit %d\n%s", r.code, r.stderr)
	}
}

func TestBadInput(t *testing.T) {
	cargo := testCargo(t)
	edit := func(old, new string) func(t *testing.T, ws string) {
		return func(t *testing.T, ws string) {
			p := filepath.Join(ws, "third_party/Cargo.toml")
			data, _ := os.ReadFile(p)
			if !strings.Contains(string(data), old) {
				t.Fatalf("manifest has no %q", old)
			}
			os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644)
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, ws string)
		args  []string
		want  []string
	}{
		{
			name:  "dependency missing from sources",
			setup: edit("quote = \"1\"", "quote = \"1\"\nhex = \"0.4\""),
			args:  demoArgs(cargo),
			want:  []string{`crate "hex" ^0.4 (required by demo v0.1.0`, "not in --sources=" + debianRegistry},
		},
		{
			name: "locked dependency missing from sources",
			setup: func(t *testing.T, ws string) {
				mustVendor(t, ws, demoArgs(cargo)...)
				os.RemoveAll(filepath.Join(ws, "third_party/crates"))
				entries, _ := os.ReadDir(debianRegistry)
				for _, e := range entries {
					if e.Name() != "thiserror-impl-1.0.38" {
						os.MkdirAll(filepath.Join(ws, "partial"), 0o755)
						os.Symlink(filepath.Join(debianRegistry, e.Name()), filepath.Join(ws, "partial", e.Name()))
					}
				}
			},
			args: []string{"--manifest=third_party/Cargo.toml", "--sources=partial", "--out=third_party/crates", "--cargo=" + cargo},
			want: []string{`crate "thiserror-impl" 1.0.38, pinned by Cargo.lock, (required by thiserror v1.0.38)`, "is not in --sources="},
		},
		{
			name: "lockfile disagrees with the manifest",
			setup: func(t *testing.T, ws string) {
				mustVendor(t, ws, demoArgs(cargo)...)
				os.RemoveAll(filepath.Join(ws, "third_party/crates"))
				edit("thiserror = \"1\"\n", "")(t, ws)
			},
			args: demoArgs(cargo),
			want: []string{"Cargo.lock does not match", "third_party/Cargo.toml", "--locked"},
		},
		{
			name: "--out outside the workspace",
			args: []string{"--manifest=third_party/Cargo.toml", "--sources=" + debianRegistry, "--out=../elsewhere", "--cargo=" + cargo},
			want: []string{"--out=../elsewhere is outside the workspace"},
		},
		{
			name: "missing --manifest",
			args: []string{"--sources=" + debianRegistry, "--out=third_party/crates", "--cargo=" + cargo},
			want: []string{"--manifest is required"},
		},
		{
			name: "--manifest names no file",
			args: []string{"--manifest=nowhere/Cargo.toml", "--sources=" + debianRegistry, "--out=third_party/crates", "--cargo=" + cargo},
			want: []string{"--manifest=nowhere/Cargo.toml", "no such file"},
		},
		{
			name: "--sources names no directory",
			args: []string{"--manifest=third_party/Cargo.toml", "--sources=/nonexistent", "--out=third_party/crates", "--cargo=" + cargo},
			want: []string{"--sources=/nonexistent"},
		},
		{
			name: "--cargo names no program",
			args: []string{"--manifest=third_party/Cargo.toml", "--sources=" + debianRegistry, "--out=third_party/crates", "--cargo=/nonexistent/cargo"},
			want: []string{"--cargo=/nonexistent/cargo"},
		},
		{
			name:  "override for a crate not in the graph",
			setup: edit("[package.metadata.rules_rustc_wasm.crates.syn]", "[package.metadata.rules_rustc_wasm.crates.nonesuch]\ncfgs = []\n\n[package.metadata.rules_rustc_wasm.crates.syn]"),
			args:  demoArgs(cargo),
			want:  []string{`"nonesuch"`, "not in the dependency graph", "Cargo.toml"},
		},
		{
			name:  "unknown override key",
			setup: edit("cfgs = [\"demo_cfg\"]", "cfgs = [\"demo_cfg\"]\nrustflags = []"),
			args:  demoArgs(cargo),
			want:  []string{"crates.syn]", `"rustflags"`},
		},
		// Issue 15: a dependency's feature name with line breaks became
		// rustc arguments of its own (-Cpanic=abort, -Ax).
		{
			name: "feature name with line breaks",
			setup: func(t *testing.T, ws string) {
				appendTo(t, filepath.Join(ws, "third_party/local/Cargo.toml"),
					"\n[features]\ndefault = [\"\\\"\\n-Cpanic=abort\\n-Ax\"]\n\"\\\"\\n-Cpanic=abort\\n-Ax\" = []\n")
			},
			args: demoArgs(cargo),
			want: []string{"crate local 0.2.0: features in ", "third_party/local/Cargo.toml: \"\\\"\\n-Cpanic=abort\\n-Ax\" holds a control character (U+000A)"},
		},
		{
			name: "feature name with a quote",
			setup: func(t *testing.T, ws string) {
				appendTo(t, filepath.Join(ws, "third_party/local/Cargo.toml"), "\n[features]\ndefault = [\"a\\\"b\"]\n\"a\\\"b\" = []\n")
			},
			args: demoArgs(cargo),
			want: []string{"crate local 0.2.0: features in ", "holds a quote or a backslash"},
		},
		{
			name:  "override cfg with a line break",
			setup: edit("cfgs = [\"demo_cfg\"]", "cfgs = [\"x\\n-Clinker=/bin/sh\"]"),
			args:  demoArgs(cargo),
			want:  []string{"crate syn 1.0.107: cfgs in [package.metadata.rules_rustc_wasm.crates.syn] of ", "holds a control character (U+000A)"},
		},
		{
			name:  "override rustc_flags with a NUL",
			setup: edit("rustc_flags = [\"-Cdebuginfo=0\"]", "rustc_flags = [\"-Cdebuginfo=0\\u0000\"]"),
			args:  demoArgs(cargo),
			want:  []string{"crate syn 1.0.107: rustc_flags in [package.metadata.rules_rustc_wasm.crates.syn]", "(U+0000)"},
		},
		{
			name:  "rustc_env value that ends the runner's flags",
			setup: edit("rustc_env = { DEMO_ENV = \"1\" }", "rustc_env = { DEMO_ENV = \"1\\n--\\nx\" }"),
			args:  demoArgs(cargo),
			want:  []string{"crate thiserror 1.0.38: rustc_env.DEMO_ENV in [package.metadata.rules_rustc_wasm.crates.thiserror]", "(U+000A)"},
		},
		{
			name:  "rustc_env with an empty name",
			setup: edit("rustc_env = { DEMO_ENV = \"1\" }", "rustc_env = { \"\" = \"1\" }"),
			args:  demoArgs(cargo),
			want:  []string{"crate thiserror 1.0.38: rustc_env in ", `"" is not a variable name`},
		},
		{
			name:  "rustc_env with A=B as a name",
			setup: edit("rustc_env = { DEMO_ENV = \"1\" }", "rustc_env = { \"A=B\" = \"1\" }"),
			args:  demoArgs(cargo),
			want:  []string{`"A=B" is not a variable name`},
		},
		{
			name:  "build_script_env sets OUT_DIR",
			setup: edit("build_script_env = { DEMO_BUILD = \"yes\" }", "build_script_env = { OUT_DIR = \"/etc\" }"),
			args:  demoArgs(cargo),
			want:  []string{"crate local 0.2.0: build_script_env in [package.metadata.rules_rustc_wasm.crates.local]", `"OUT_DIR" is set by the rules themselves`},
		},
		// Issue 15: reported as "a dependency is not in --sources".
		{
			name: "dependency manifest cargo cannot parse",
			setup: func(t *testing.T, ws string) {
				appendTo(t, filepath.Join(ws, "third_party/local/Cargo.toml"), "this is [not toml\n")
			},
			args: demoArgs(cargo),
			want: []string{"cargo cannot parse ", "third_party/local/Cargo.toml: fix that manifest", "TOML parse error"},
		},
		{
			name:  "override of build-script keys for a crate without one",
			setup: edit("[package.metadata.rules_rustc_wasm.crates.syn]", "[package.metadata.rules_rustc_wasm.crates.unicode-ident]\nwasm_flavour_cfgs = [\"x\"]\n\n[package.metadata.rules_rustc_wasm.crates.syn]"),
			args:  demoArgs(cargo),
			want:  []string{"unicode-ident 1.0.0 has no build script"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ws := newWorkspace(t)
			if tc.setup != nil {
				tc.setup(t, ws)
			}
			r := vendor(t, ws, tc.args...)
			if r.code == 0 {
				t.Fatalf("exit 0\n%s", r.stdout)
			}
			if strings.Contains(r.stderr, "is not in --sources") && !strings.Contains(tc.name, "sources") {
				t.Errorf("blames --sources:\n%s", r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, r.stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(ws, "third_party/crates")); !os.IsNotExist(err) {
				t.Errorf("output written despite the error")
			}
		})
	}
}

// TestDownload declares a crate by URL: a .crate archive made with tar from
// Debian's source, served by a file:// URL, its checksum in Cargo.lock.
func TestDownload(t *testing.T) {
	cargo := testCargo(t)
	if _, err := exec.LookPath("tar"); err != nil {
		t.Skip("no tar")
	}
	tmp := t.TempDir()
	sources := filepath.Join(tmp, "sources")
	src := filepath.Join(sources, "unicode-ident-1.0.0")
	copyTree(t, filepath.Join(debianRegistry, "unicode-ident-1.0.0"), src)
	os.Remove(filepath.Join(src, ".cargo-checksum.json"))

	dl := filepath.Join(tmp, "dl")
	os.MkdirAll(dl, 0o755)
	archive := filepath.Join(dl, "unicode-ident-1.0.0.crate")
	tar := exec.Command("tar", "czf", archive, "--sort=name", "--owner=0", "--group=0", "--mtime=1970-01-01", "unicode-ident-1.0.0")
	tar.Dir = sources
	if out, err := tar.CombinedOutput(); err != nil {
		t.Fatalf("tar: %v\n%s", err, out)
	}
	data, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(data)
	sum := hex.EncodeToString(h[:])
	// A directory source's checksum of the package, which cargo copies into Cargo.lock.
	os.WriteFile(filepath.Join(src, ".cargo-checksum.json"), []byte(fmt.Sprintf(`{"package":%q,"files":{}}`, sum)), 0o644)

	ws := t.TempDir()
	os.WriteFile(filepath.Join(ws, "MODULE.bazel"), nil, 0o644)
	os.MkdirAll(filepath.Join(ws, "app/src"), 0o755)
	os.WriteFile(filepath.Join(ws, "app/Cargo.toml"), []byte("[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nunicode-ident = \"1\"\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "app/src/lib.rs"), nil, 0o644)

	args := []string{"--manifest=app/Cargo.toml", "--sources=" + sources, "--out=app/crates", "--cargo=" + cargo,
		"--download", "--download-url-template=file://" + dl + "/{name}-{version}.crate"}
	r := vendor(t, ws, args...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	lock, _ := os.ReadFile(filepath.Join(ws, "app/Cargo.lock"))
	if !strings.Contains(string(lock), `checksum = "`+sum+`"`) {
		t.Errorf("Cargo.lock lacks the archive's checksum:\n%s", lock)
	}
	crates, _ := os.ReadFile(filepath.Join(ws, "app/crates/crates.bzl"))
	repos := parseCratesBzl(t, crates)
	ui, ok := repos["crates__unicode-ident-1.0.0"]
	if !ok {
		t.Fatalf("no unicode-ident repository:\n%s", crates)
	}
	urls := ui.attrs.AttrStrings("urls")
	if !reflect.DeepEqual(urls, []string{"file://" + archive}) || ui.attrs.AttrString("sha256") != sum ||
		ui.attrs.AttrString("strip_prefix") != "unicode-ident-1.0.0" || ui.attrs.Attr("path") != nil {
		t.Fatalf("unicode-ident repository: urls %v sha256 %q strip_prefix %q path %v",
			urls, ui.attrs.AttrString("sha256"), ui.attrs.AttrString("strip_prefix"), ui.attrs.Attr("path"))
	}
	// What download_and_extract would do: fetch the URL, check the sha256,
	// strip the prefix, find the crate root.
	got, err := os.ReadFile(strings.TrimPrefix(urls[0], "file://"))
	if err != nil {
		t.Fatal(err)
	}
	if h := sha256.Sum256(got); hex.EncodeToString(h[:]) != ui.attrs.AttrString("sha256") {
		t.Errorf("sha256 of the URL's content does not match")
	}
	out := t.TempDir()
	if b, err := exec.Command("tar", "xzf", strings.TrimPrefix(urls[0], "file://"), "-C", out).CombinedOutput(); err != nil {
		t.Fatalf("tar x: %v\n%s", err, b)
	}
	root := ui.rule(t, "unicode_ident").AttrString("crate_root")
	if _, err := os.Stat(filepath.Join(out, ui.attrs.AttrString("strip_prefix"), root)); err != nil {
		t.Errorf("crate_root %s is not in the archive under the prefix: %v", root, err)
	}

	// Without --download the same crate comes from --sources by path.
	mustVendor(t, ws, args[:4]...)
	crates, _ = os.ReadFile(filepath.Join(ws, "app/crates/crates.bzl"))
	if p := parseCratesBzl(t, crates)["crates__unicode-ident-1.0.0"].attrs.AttrString("path"); p != src {
		t.Errorf("path = %q, want %q", p, src)
	}
}

// TestSourcesInsideWorkspace: crates in a --sources inside the workspace get
// workspace-relative paths.
func TestSourcesInsideWorkspace(t *testing.T) {
	cargo := testCargo(t)
	ws := t.TempDir()
	os.WriteFile(filepath.Join(ws, "WORKSPACE"), nil, 0o644)
	copyTree(t, filepath.Join(debianRegistry, "unicode-ident-1.0.0"), filepath.Join(ws, "vendor/unicode-ident-1.0.0"))
	os.MkdirAll(filepath.Join(ws, "app/src"), 0o755)
	os.WriteFile(filepath.Join(ws, "app/Cargo.toml"), []byte("[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\nunicode-ident = \"1\"\n"), 0o644)
	os.WriteFile(filepath.Join(ws, "app/src/lib.rs"), nil, 0o644)
	mustVendor(t, ws, "--manifest=app/Cargo.toml", "--sources=vendor", "--out=app/crates", "--cargo="+cargo)
	crates, _ := os.ReadFile(filepath.Join(ws, "app/crates/crates.bzl"))
	if p := parseCratesBzl(t, crates)["crates__unicode-ident-1.0.0"].attrs.AttrString("path"); p != "vendor/unicode-ident-1.0.0" {
		t.Errorf("path = %q, want vendor/unicode-ident-1.0.0", p)
	}
}

// TestWorkspaceManifest: a [workspace] of two members, with overrides in
// [workspace.metadata].
func TestWorkspaceManifest(t *testing.T) {
	cargo := testCargo(t)
	ws := t.TempDir()
	os.WriteFile(filepath.Join(ws, "WORKSPACE"), nil, 0o644)
	write := func(p, s string) {
		os.MkdirAll(filepath.Dir(filepath.Join(ws, p)), 0o755)
		os.WriteFile(filepath.Join(ws, p), []byte(s), 0o644)
	}
	write("rust/Cargo.toml", "[workspace]\nmembers = [\"a\", \"b\"]\n\n[workspace.metadata.rules_rustc_wasm.crates.quote]\ncfgs = [\"from_workspace\"]\n")
	write("rust/a/Cargo.toml", "[package]\nname = \"a\"\nversion = \"0.1.0\"\n\n[dependencies]\nquote = \"1\"\nb = { path = \"../b\" }\n")
	write("rust/a/src/lib.rs", "")
	write("rust/b/Cargo.toml", "[package]\nname = \"b\"\nversion = \"0.1.0\"\n\n[dependencies]\nunicode-ident = \"1\"\n")
	write("rust/b/src/lib.rs", "")
	mustVendor(t, ws, "--manifest=rust/Cargo.toml", "--sources="+debianRegistry, "--out=rust/crates", "--cargo="+cargo)
	bf, _ := os.ReadFile(filepath.Join(ws, "rust/crates/BUILD.bazel"))
	f, err := build.ParseBuild("BUILD.bazel", bf)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range f.Rules("alias") {
		names = append(names, r.Name())
	}
	if !reflect.DeepEqual(names, []string{"quote", "unicode-ident"}) { // b is a member: no alias
		t.Errorf("aliases = %v", names)
	}
	crates, _ := os.ReadFile(filepath.Join(ws, "rust/crates/crates.bzl"))
	q := parseCratesBzl(t, crates)["crates__quote-1.0.21"].rule(t, "quote")
	if !contains(strs(t, q, "rustc_flags"), "--cfg=from_workspace") {
		t.Errorf("quote rustc_flags = %v", strs(t, q, "rustc_flags"))
	}
}

func appendTo(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// TestHandWrittenFilesAreKept: --out naming a package with files of the
// user's own fails and leaves them as they were (before, they were
// replaced without a word); files vendor wrote are replaced as before.
func TestHandWrittenFilesAreKept(t *testing.T) {
	cargo := testCargo(t)
	for _, name := range []string{"BUILD.bazel", "crates.bzl", "extensions.bzl", "BUILD"} {
		t.Run(name, func(t *testing.T) {
			ws := newWorkspace(t)
			dir := filepath.Join(ws, "third_party/crates")
			os.MkdirAll(dir, 0o755)
			mine := "# mine\nfilegroup(name = \"x\")\n"
			os.WriteFile(filepath.Join(dir, name), []byte(mine), 0o644)
			for _, check := range []bool{false, true} {
				args := demoArgs(cargo)
				if check {
					args = append(args, "--check")
				}
				r := vendor(t, ws, args...)
				want := name + " exists and was not written by @rules_rustc_wasm//crates:generate"
				if name == "BUILD" {
					want = "the package has a BUILD file of its own"
				}
				if r.code != 1 || !strings.Contains(r.stderr, want) {
					t.Errorf("check %v: exit %d, stderr %q; want %q", check, r.code, r.stderr, want)
				}
			}
			if b, _ := os.ReadFile(filepath.Join(dir, name)); string(b) != mine {
				t.Errorf("%s was replaced: %q", name, b)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("--out holds %v", entries)
			}
		})
	}
	ws := newWorkspace(t)
	mustVendor(t, ws, demoArgs(cargo)...)
	appendTo(t, filepath.Join(ws, "third_party/crates/BUILD.bazel"), "# an edit vendor may undo\n")
	mustVendor(t, ws, demoArgs(cargo)...)
}
