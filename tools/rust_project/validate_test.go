package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodProject = `{
  "sysroot": "/usr",
  "crates": [
    {"display_name": "app", "root_module": "/ws/app/main.rs", "edition": "2021",
     "deps": [{"crate": 1, "name": "util"}], "is_workspace_member": true,
     "source": {"include_dirs": ["/ws/app"], "exclude_dirs": []},
     "cfg": ["test", "feature=\"std\""], "target": "wasm32-wasi", "env": {}, "is_proc_macro": false},
    {"display_name": "util", "root_module": "/ws/util/lib.rs", "edition": "2018",
     "deps": [], "cfg": [], "env": {"CARGO_PKG_VERSION": "1.0.0"},
     "is_proc_macro": true, "proc_macro_dylib_path": "/ob/libutil.so"}
  ]
}`

func TestValidateAcceptsTheFormat(t *testing.T) {
	if errs := Validate([]byte(goodProject), ValidateOptions{}); len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}

func TestValidateRejects(t *testing.T) {
	for _, tc := range []struct {
		name, from, to, want string
	}{
		{"dep out of range", `"crate": 1`, `"crate": 2`, "out of range"},
		{"negative dep", `"crate": 1`, `"crate": -1`, "out of range"},
		{"self dep", `"crate": 1`, `"crate": 0`, "depends on itself"},
		{"dep index a string", `"crate": 1`, `"crate": "1"`, "deps[0].crate"},
		{"dashed dep name", `"name": "util"`, `"name": "my-util"`, "not a crate name"},
		{"relative root", `"/ws/app/main.rs"`, `"app/main.rs"`, "absolute path"},
		{"no root", `"root_module": "/ws/util/lib.rs", `, ``, "root_module: missing"},
		{"bad edition", `"edition": "2018"`, `"edition": "2019"`, "2019"},
		{"edition a number", `"edition": "2018"`, `"edition": 2018`, "edition"},
		{"no deps", `"deps": [], `, ``, "deps: missing"},
		{"no cfg", `"cfg": [], `, ``, "cfg: missing"},
		{"bad cfg", `"test", `, `"a b", `, "a b"},
		{"env not strings", `"CARGO_PKG_VERSION": "1.0.0"`, `"CARGO_PKG_VERSION": 1`, "env"},
		{"no is_proc_macro", `, "is_proc_macro": false`, ``, "is_proc_macro: missing"},
		{"dylib of a library", `"is_proc_macro": true`, `"is_proc_macro": false`, "is_proc_macro is not"},
		{"unknown crate field", `"target": "wasm32-wasi"`, `"triple": "wasm32-wasi"`, `"triple"`},
		{"unknown top-level field", `"sysroot": "/usr"`, `"sys_root": "/usr"`, `"sys_root"`},
		{"relative sysroot", `"sysroot": "/usr"`, `"sysroot": "usr"`, "sysroot"},
		{"root outside include_dirs", `"include_dirs": ["/ws/app"]`, `"include_dirs": ["/ws/other"]`, "holds root_module"},
		{"source without exclude_dirs", `, "exclude_dirs": []`, ``, "exclude_dirs"},
		{"duplicate dep name", `"deps": [{"crate": 1, "name": "util"}]`, `"deps": [{"crate": 1, "name": "util"}, {"crate": 1, "name": "util"}]`, "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(goodProject, tc.from) {
				t.Fatalf("fixture lacks %q", tc.from)
			}
			bad := strings.Replace(goodProject, tc.from, tc.to, 1)
			errs := Validate([]byte(bad), ValidateOptions{})
			for _, err := range errs {
				if strings.Contains(err.Error(), tc.want) {
					return
				}
			}
			t.Errorf("errors %v, want one containing %q", errs, tc.want)
		})
	}
	if errs := Validate([]byte(`[]`), ValidateOptions{}); len(errs) == 0 {
		t.Errorf("an array was accepted")
	}
	if errs := Validate([]byte(`{}`), ValidateOptions{}); len(errs) == 0 {
		t.Errorf("no crates was accepted")
	}
	// Issue 15: these were accepted.
	for in, want := range map[string]string{
		`{"crates": null}`:             "crates: want an array of objects, have null",
		`{"crates": [null]}`:           "crates[0]: want an object, have null",
		`null`:                         "not a JSON object: null",
		goodProject + `{"crates": []}`: "trailing data after the JSON object",
		goodProject + "\n]":            "trailing data after the JSON object",
		goodProject + "garbage":        "trailing data after the JSON object",
	} {
		errs := Validate([]byte(in), ValidateOptions{})
		found := false
		for _, err := range errs {
			found = found || strings.Contains(err.Error(), want)
		}
		if !found {
			t.Errorf("%.40q...: errors %v, want %q", in, errs, want)
		}
	}
	if errs := Validate([]byte(goodProject+"\n \n"), ValidateOptions{}); len(errs) > 0 {
		t.Errorf("white space after the object: %v", errs)
	}
}

func TestValidateFilesExist(t *testing.T) {
	errs := Validate([]byte(goodProject), ValidateOptions{FilesExist: true})
	if len(errs) < 2 {
		t.Errorf("missing roots and dylib not reported: %v", errs)
	}
	dir := t.TempDir()
	root := filepath.Join(dir, "lib.rs")
	if err := os.WriteFile(root, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p := `{"crates": [{"root_module": "` + root + `", "edition": "2021", "deps": [], "cfg": [], "env": {}, "is_proc_macro": false}]}`
	if errs := Validate([]byte(p), ValidateOptions{FilesExist: true}); len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}

// TestGeneratedProject checks the rust-project.json that the tool wrote for
// this repository's examples. CI runs, at the workspace root:
//
//	bazel run //tools:rust_project -- //examples/...
//	RUST_PROJECT_JSON=$PWD/rust-project.json go test ./tools/rust_project -run TestGeneratedProject
func TestGeneratedProject(t *testing.T) {
	path := os.Getenv("RUST_PROJECT_JSON")
	if path == "" {
		t.Skip("RUST_PROJECT_JSON is not set")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range Validate(data, ValidateOptions{FilesExist: true}) {
		t.Error(err)
	}
	var p Project
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	if p.Sysroot == "" {
		t.Errorf("no sysroot")
	}
	crates := p.Crates
	find := func(name string, member bool) (int, Crate) {
		t.Helper()
		for i, c := range crates {
			if c.DisplayName == name && c.IsWorkspaceMember == member {
				return i, c
			}
		}
		t.Fatalf("no crate %s (workspace member: %v)", name, member)
		return 0, Crate{}
	}
	hasDep := func(c Crate, name, crate string) {
		t.Helper()
		for _, d := range c.Deps {
			if d.Name == name && crates[d.Crate].DisplayName == crate {
				return
			}
		}
		t.Errorf("%s has no dependency %s on crate %s: %v", c.DisplayName, name, crate, c.Deps)
	}

	// examples/config: serde, thiserror and a macro on syn and quote.
	_, tool := find("config_tool", true)
	hasDep(tool, "serde", "serde")
	hasDep(tool, "thiserror", "thiserror")
	hasDep(tool, "field_names", "field_names")
	// The triple the toolchain's rustc names: wasm32-wasi for Debian's
	// rustc 1.63 (the default), wasm32-wasip1 from rustc 1.78 on.
	triple := os.Getenv("RUST_PROJECT_TARGET")
	if triple == "" {
		triple = "wasm32-wasi"
	}
	if !strings.HasSuffix(tool.RootModule, "/examples/config/main.rs") || tool.Target != triple {
		t.Errorf("config_tool: root %s, target %s, want %s", tool.RootModule, tool.Target, triple)
	}
	_, test := find("config_tool_test", true)
	if !contains(test.Cfg, "test") {
		t.Errorf("config_tool_test cfg = %v, want test", test.Cfg)
	}
	_, fn := find("field_names", true)
	if !fn.IsProcMacro || !strings.HasSuffix(fn.ProcMacroDylibPath, "/libfield_names.wasm") {
		t.Errorf("field_names: is_proc_macro %v, dylib %q (the native flavour's wasm macros are modules)", fn.IsProcMacro, fn.ProcMacroDylibPath)
	}
	hasDep(fn, "proc_macro2", "proc_macro2")
	hasDep(fn, "quote", "quote")
	hasDep(fn, "syn", "syn")

	_, serde := find("serde", false)
	hasDep(serde, "serde_derive", "serde_derive")
	if !strings.Contains(serde.RootModule, "/external/crates__serde-1.0.152/") || !contains(serde.Cfg, `feature="derive"`) {
		t.Errorf("serde: root %s, cfg %v", serde.RootModule, serde.Cfg)
	}
	if serde.Env["OUT_DIR"] == "" || serde.Env["CARGO_PKG_VERSION"] != "1.0.152" {
		t.Errorf("serde env = %v", serde.Env)
	}
	_, sd := find("serde_derive", false)
	if !sd.IsProcMacro || sd.ProcMacroDylibPath == "" {
		t.Errorf("serde_derive: is_proc_macro %v, dylib %q", sd.IsProcMacro, sd.ProcMacroDylibPath)
	}
	_, te := find("thiserror", false)
	hasDep(te, "thiserror_impl", "thiserror_impl")
	// The macro's proc_macro2 (built into the wasm macro) has the cfgs
	// that say proc_macro is there.
	for _, d := range fn.Deps {
		if c := crates[d.Crate]; d.Name == "proc_macro2" && !contains(c.Cfg, "use_proc_macro") {
			t.Errorf("field_names' proc_macro2 cfg = %v, want the build script's use_proc_macro", c.Cfg)
		}
	}

	// examples/shapes uses the macros of examples/macros.
	_, shapes := find("shapes", true)
	for _, d := range shapes.Deps {
		if !crates[d.Crate].IsWorkspaceMember {
			t.Errorf("shapes depends on a third-party crate %s", crates[d.Crate].DisplayName)
		}
	}
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
