package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

var testPaths = Paths{Workspace: "/ws", ExecRoot: "/ob/execroot/ws", OutputBase: "/ob"}

// fakeReader serves build scripts' files from a map of execroot paths.
func fakeReader(files map[string]string) Reader {
	return func(path string) ([]byte, error) {
		rel := strings.TrimPrefix(path, testPaths.ExecRoot+"/")
		if s, ok := files[rel]; ok {
			return []byte(s), nil
		}
		return nil, fmt.Errorf("%s: %w", path, os.ErrNotExist)
	}
}

// configFiles are what the fixture's build scripts printed.
var configFiles = map[string]string{
	"bazel-out/k8-fastbuild-ST-5a1c/bin/external/crates__proc-macro2-1.0.47/_rustc_wasm/build_script/rustc_flags": "--cfg=use_proc_macro\n--cfg=wrap_proc_macro\n-lnative=x\n--check-cfg=cfg(foo)\n",
	"bazel-out/k8-fastbuild-ST-5a1c/bin/external/crates__proc-macro2-1.0.47/_rustc_wasm/build_script/rustc_env":   "",
	"bazel-out/k8-fastbuild-ST-5a1c/bin/external/crates__syn-1.0.107/_rustc_wasm/build_script/rustc_flags":        "--cfg=syn_disable_nightly_tests\n",
	"bazel-out/k8-fastbuild-ST-5a1c/bin/external/crates__syn-1.0.107/_rustc_wasm/build_script/rustc_env":          "",
	"bazel-out/k8-fastbuild/bin/external/crates__serde-1.0.152/_rustc_wasm/build_script/rustc_flags":              "",
	"bazel-out/k8-fastbuild/bin/external/crates__serde-1.0.152/_rustc_wasm/build_script/rustc_env":                "GENERATED=bazel-out/k8-fastbuild/bin/external/crates__serde-1.0.152/_rustc_wasm/build_script/out_dir/x.rs\nPLAIN=a=b\n",
}

func loadFixture(t *testing.T, dir string) []*Spec {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.rust_project.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixture in testdata/%s: %v", dir, err)
	}
	sort.Strings(files)
	specs, err := readSpecs(files)
	if err != nil {
		t.Fatal(err)
	}
	return specs
}

func byName(t *testing.T, crates []Crate, name string) (int, Crate) {
	t.Helper()
	found := -1
	for i, c := range crates {
		if c.DisplayName == name {
			if found >= 0 {
				t.Fatalf("two crates named %s: %d and %d", name, found, i)
			}
			found = i
		}
	}
	if found < 0 {
		t.Fatalf("no crate named %s", name)
	}
	return found, crates[found]
}

// depNames maps a crate's dependency names to the display names of their crates.
func depNames(crates []Crate, c Crate) map[string]string {
	m := map[string]string{}
	for _, d := range c.Deps {
		m[d.Name] = crates[d.Crate].DisplayName
	}
	return m
}

func TestMergeConfigExample(t *testing.T) {
	specs := loadFixture(t, "config")
	crates, err := Merge(specs, testPaths, fakeReader(configFiles))
	if err != nil {
		t.Fatal(err)
	}

	// Eleven descriptions; the macro's two configurations are one crate.
	if len(crates) != 10 {
		var names []string
		for _, c := range crates {
			names = append(names, c.DisplayName)
		}
		t.Fatalf("%d crates, want 10: %v", len(crates), names)
	}
	// Workspace members first, by label.
	for i, want := range []string{"config_tool", "config_tool_test", "field_names"} {
		if crates[i].DisplayName != want || !crates[i].IsWorkspaceMember {
			t.Errorf("crates[%d] = %s (member %v), want the workspace's %s", i, crates[i].DisplayName, crates[i].IsWorkspaceMember, want)
		}
	}

	_, tool := byName(t, crates, "config_tool")
	if got, want := depNames(crates, tool), map[string]string{"serde": "serde", "errors": "thiserror", "field_names": "field_names"}; !reflect.DeepEqual(got, want) {
		t.Errorf("config_tool deps = %v, want %v (the rename kept)", got, want)
	}
	if tool.RootModule != "/ws/examples/config/main.rs" || tool.Target != "wasm32-wasi" || tool.IsProcMacro {
		t.Errorf("config_tool = %+v", tool)
	}
	if want := (&Source{IncludeDirs: []string{"/ws/examples/config"}, ExcludeDirs: []string{}}); !reflect.DeepEqual(tool.Source, want) {
		t.Errorf("config_tool source = %+v, want %+v", tool.Source, want)
	}
	_, test := byName(t, crates, "config_tool_test")
	if !reflect.DeepEqual(test.Cfg, []string{"test"}) {
		t.Errorf("config_tool_test cfg = %v, want [test]", test.Cfg)
	}

	_, fn := byName(t, crates, "field_names")
	if !fn.IsProcMacro || fn.ProcMacroDylibPath != "/ob/execroot/ws/bazel-out/k8-fastbuild/bin/examples/config/_rustc_wasm/field_names/libfield_names.so" {
		t.Errorf("field_names: is_proc_macro %v, dylib %q", fn.IsProcMacro, fn.ProcMacroDylibPath)
	}
	if got, want := depNames(crates, fn), map[string]string{"proc_macro2": "proc_macro2", "quote": "quote", "syn": "syn"}; !reflect.DeepEqual(got, want) {
		t.Errorf("field_names deps = %v, want %v", got, want)
	}

	_, serde := byName(t, crates, "serde")
	if got := depNames(crates, serde); got["serde_derive"] != "serde_derive" {
		t.Errorf("serde deps = %v, want serde_derive", got)
	}
	if serde.IsWorkspaceMember || serde.RootModule != "/ob/external/crates__serde-1.0.152/src/lib.rs" || serde.Edition != "2015" {
		t.Errorf("serde = %+v", serde)
	}
	outDir := "/ob/execroot/ws/bazel-out/k8-fastbuild/bin/external/crates__serde-1.0.152/_rustc_wasm/build_script/out_dir"
	wantEnv := map[string]string{
		"CARGO_CRATE_NAME":   "serde",
		"CARGO_PKG_NAME":     "serde",
		"CARGO_PKG_VERSION":  "1.0.152",
		"CARGO_MANIFEST_DIR": "/ob/external/crates__serde-1.0.152",
		"OUT_DIR":            outDir,
		"GENERATED":          outDir + "/x.rs",
		"PLAIN":              "a=b",
	}
	if got := withoutMacroView(serde.Env); !reflect.DeepEqual(got, wantEnv) {
		t.Errorf("serde env = %v, want %v", got, wantEnv)
	}
	if want := []string{"/ob/external/crates__serde-1.0.152/src", outDir}; !reflect.DeepEqual(serde.Source.IncludeDirs, want) {
		t.Errorf("serde include_dirs = %v, want %v", serde.Source.IncludeDirs, want)
	}
	_, sd := byName(t, crates, "serde_derive")
	if !sd.IsProcMacro || sd.ProcMacroDylibPath == "" || sd.Target != "x86_64-unknown-linux-gnu" {
		t.Errorf("serde_derive = %+v", sd)
	}

	// Build scripts' cfgs join the features, sorted; other flags are not cfgs.
	_, pm2 := byName(t, crates, "proc_macro2")
	if want := []string{`feature="default"`, `feature="proc-macro"`, "use_proc_macro", "wrap_proc_macro"}; !reflect.DeepEqual(pm2.Cfg, want) {
		t.Errorf("proc_macro2 cfg = %v, want %v", pm2.Cfg, want)
	}
	_, syn := byName(t, crates, "syn")
	if got := depNames(crates, syn); !reflect.DeepEqual(got, map[string]string{"proc_macro2": "proc_macro2", "quote": "quote", "unicode_ident": "unicode_ident"}) {
		t.Errorf("syn deps = %v", got)
	}

	// The whole file follows the format.
	data, err := json.Marshal(Project{Sysroot: "/usr", Crates: crates})
	if err != nil {
		t.Fatal(err)
	}
	if errs := Validate(data, ValidateOptions{}); len(errs) > 0 {
		t.Errorf("merged project fails the check: %v", errs)
	}
}

func TestMergeIsDeterministic(t *testing.T) {
	specs := loadFixture(t, "config")
	first, err := Merge(specs, testPaths, fakeReader(configFiles))
	if err != nil {
		t.Fatal(err)
	}
	reversed := make([]*Spec, len(specs))
	for i, s := range specs {
		reversed[len(specs)-1-i] = s
	}
	second, err := Merge(reversed, testPaths, fakeReader(configFiles))
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if string(a) != string(b) {
		t.Errorf("the order of the descriptions changes the result:\n%s\n%s", a, b)
	}
}

// spec is a minimal first-party description.
func spec(label, conf string, deps ...SpecDep) *Spec {
	name := label[strings.LastIndex(label, ":")+1:]
	return &Spec{
		Format: specFormat, ID: label + " " + conf, Label: label, Configuration: conf,
		CrateName: name, CrateType: "rlib", Edition: "2021",
		Root:              File{Path: "pkg/" + name + ".rs", Source: true, MainRepo: true},
		Srcs:              []File{{Path: "pkg/" + name + ".rs", Source: true, MainRepo: true}},
		PackageDir:        "pkg",
		IsWorkspaceMember: true, Deps: deps, Target: "wasm32-wasi",
	}
}

func TestMergeKeepsConfigurationsThatDiffer(t *testing.T) {
	// util in two configurations, built differently (a feature), and a
	// crate that uses each: four crates.
	a := spec("//pkg:util", "bazel-out/k8-fastbuild/bin")
	b := spec("//pkg:util", "bazel-out/k8-fastbuild-ST-1/bin")
	b.Cfg = []string{`feature="extra"`}
	top := spec("//pkg:app", "bazel-out/k8-fastbuild/bin", SpecDep{ID: a.ID, Name: "util"})
	other := spec("//pkg:app", "bazel-out/k8-fastbuild-ST-1/bin", SpecDep{ID: b.ID, Name: "util"})
	crates, err := Merge([]*Spec{top, other, a, b}, testPaths, fakeReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(crates) != 4 {
		t.Fatalf("%d crates, want 4", len(crates))
	}
	if crates[0].Deps[0].Crate == crates[1].Deps[0].Crate {
		t.Errorf("both apps use the same util: %+v", crates[:2])
	}
}

func TestMergeDependencies(t *testing.T) {
	util := spec("//pkg:util", "c")
	util2 := spec("//other:util", "c")
	util2.Root.Path = "other/util.rs"
	app := spec("//pkg:app", "c",
		SpecDep{ID: util.ID, Name: "util"},
		SpecDep{ID: util2.ID, Name: "util2"},
		SpecDep{ID: util.ID, Name: "util"}, // listed twice
	)
	crates, err := Merge([]*Spec{app, util, util2, util}, testPaths, fakeReader(nil))
	if err != nil {
		t.Fatal(err)
	}
	i, c := byName(t, crates, "app")
	if len(crates) != 3 || len(c.Deps) != 2 {
		t.Fatalf("crates = %+v", crates)
	}
	for _, d := range c.Deps {
		if d.Crate == i {
			t.Errorf("app depends on itself")
		}
	}
	if crates[c.Deps[0].Crate].RootModule != "/ws/pkg/util.rs" || crates[c.Deps[1].Crate].RootModule != "/ws/other/util.rs" {
		t.Errorf("two crates named util mixed up: %+v", crates)
	}

	missing := spec("//pkg:app", "c", SpecDep{ID: "//pkg:gone c", Name: "gone"})
	if _, err := Merge([]*Spec{missing}, testPaths, fakeReader(nil)); err == nil || !strings.Contains(err.Error(), "//pkg:gone") {
		t.Errorf("a missing dependency: err = %v", err)
	}
	x := spec("//pkg:x", "c", SpecDep{ID: "//pkg:y c", Name: "y"})
	y := spec("//pkg:y", "c", SpecDep{ID: "//pkg:x c", Name: "x"})
	if _, err := Merge([]*Spec{x, y}, testPaths, fakeReader(nil)); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("a cycle: err = %v", err)
	}
}

func TestMergeBuildScriptFilesMissing(t *testing.T) {
	s := spec("//pkg:lib", "c")
	s.BuildScript = &BuildScript{OutDir: "bazel-out/x/out_dir", Flags: "bazel-out/x/flags", Env: "bazel-out/x/env"}
	if _, err := Merge([]*Spec{s}, testPaths, fakeReader(nil)); err == nil || !strings.Contains(err.Error(), "//pkg:lib") {
		t.Errorf("err = %v, want one naming the crate", err)
	}
}

func TestPaths(t *testing.T) {
	for _, tc := range []struct {
		f    File
		want string
	}{
		{File{Path: "examples/config/main.rs", Source: true, MainRepo: true}, "/ws/examples/config/main.rs"},
		{File{Path: "external/crates__syn-1.0.107/src/lib.rs", Source: true}, "/ob/external/crates__syn-1.0.107/src/lib.rs"},
		{File{Path: "../crates__syn-1.0.107/src/lib.rs", Source: true}, "/ob/external/crates__syn-1.0.107/src/lib.rs"},
		{File{Path: "bazel-out/k8-fastbuild/bin/gen/lib.rs"}, "/ob/execroot/ws/bazel-out/k8-fastbuild/bin/gen/lib.rs"},
	} {
		if got := testPaths.File(tc.f); got != tc.want {
			t.Errorf("File(%+v) = %s, want %s", tc.f, got, tc.want)
		}
	}
}

func TestParseSpecFormat(t *testing.T) {
	if _, err := ParseSpec([]byte(`{"format": 2, "id": "x", "crate_name": "x", "root": {"path": "x.rs"}}`)); err == nil || !strings.Contains(err.Error(), "format") {
		t.Errorf("another format: err = %v", err)
	}
	if _, err := ParseSpec([]byte(`{"format": 1}`)); err == nil {
		t.Errorf("an empty description was accepted")
	}
}

func TestDescriptionsInEvents(t *testing.T) {
	events := strings.Join([]string{
		`{"id":{"started":{}},"started":{"uuid":"u"}}`,
		`{"id":{"namedSet":{"id":"0"}},"namedSetOfFiles":{"files":[{"name":"examples/config/config_tool.rust_project.json","uri":"file:///ob/execroot/ws/bazel-out/k8-fastbuild/bin/examples/config/config_tool.rust_project.json"},{"name":"examples/config/_rustc_wasm/field_names/libfield_names.so","uri":"file:///ob/x.so"}]}}`,
		`{"id":{"namedSet":{"id":"1"}},"namedSetOfFiles":{"files":[{"name":"a%20b.rust_project.json","uri":"file:///ob/a%20b.rust_project.json"},{"name":"examples/config/config_tool.rust_project.json","uri":"file:///ob/execroot/ws/bazel-out/k8-fastbuild/bin/examples/config/config_tool.rust_project.json"}]}}`,
	}, "\n")
	got, err := descriptionsInEvents([]byte(events))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/ob/a b.rust_project.json", "/ob/execroot/ws/bazel-out/k8-fastbuild/bin/examples/config/config_tool.rust_project.json"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if _, err := descriptionsInEvents([]byte(`{"namedSetOfFiles":{"files":[{"name":"x.rust_project.json","uri":"bytestream://cas/x"}]}}`)); err == nil {
		t.Errorf("a remote file was accepted")
	}
}

func TestWriteAtomically(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "rust-project.json")
	if err := os.WriteFile(dest, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeAtomically(dest, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(dest)
	entries, _ := os.ReadDir(dir)
	if string(data) != "new\n" || len(entries) != 1 {
		t.Errorf("content %q, %d files left", data, len(entries))
	}
}

func TestIsRulesRepository(t *testing.T) {
	dir := t.TempDir()
	if isRulesRepository(dir) {
		t.Errorf("an empty directory is the rules' repository")
	}
	if err := os.WriteFile(filepath.Join(dir, "WORKSPACE"), []byte("# x\nworkspace(name = \"rules_rustc_wasm\")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !isRulesRepository(dir) {
		t.Errorf("the rules' own WORKSPACE is not recognised")
	}
	if err := os.WriteFile(filepath.Join(dir, "WORKSPACE"), []byte("workspace(name = \"my_app\")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if isRulesRepository(dir) {
		t.Errorf("another workspace is taken for the rules' repository")
	}
}
