package main

import (
	"reflect"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/procmacrosrv/macroview"
)

// withoutMacroView is a crate's env without its macro view.
func withoutMacroView(env map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		if k != macroview.EnvVar {
			out[k] = v
		}
	}
	return out
}

// Each crate tells the proc-macro server what its macros see in the build:
// the execution root, the crate's declared inputs below it, and the
// compile's environment with guest paths (CARGO_MANIFEST_DIR, OUT_DIR)
// and a build script's values as the build passes them.
func TestMacroViewIsTheBuilds(t *testing.T) {
	crates, err := Merge(loadFixture(t, "config"), testPaths, fakeReader(configFiles))
	if err != nil {
		t.Fatal(err)
	}
	view := func(name string) macroview.View {
		_, c := byName(t, crates, name)
		v, err := macroview.Parse(c.Env[macroview.EnvVar])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	outDir := "bazel-out/k8-fastbuild/bin/external/crates__serde-1.0.152/_rustc_wasm/build_script/out_dir"
	want := macroview.View{
		Format: macroview.Format,
		Root:   testPaths.ExecRoot,
		Inputs: []string{"external/crates__serde-1.0.152/src/de/mod.rs", "external/crates__serde-1.0.152/src/lib.rs"},
		Env: map[string]string{
			"CARGO_CRATE_NAME":   "serde",
			"CARGO_PKG_NAME":     "serde",
			"CARGO_PKG_VERSION":  "1.0.152",
			"CARGO_MANIFEST_DIR": "/external/crates__serde-1.0.152",
			"OUT_DIR":            "/" + outDir,
			"GENERATED":          outDir + "/x.rs",
			"PLAIN":              "a=b",
		},
	}
	if got := view("serde"); !reflect.DeepEqual(got, want) {
		t.Errorf("serde's macro view:\n got %+v\nwant %+v", got, want)
	}
	tool := view("config_tool")
	if tool.Env["CARGO_MANIFEST_DIR"] != "/examples/config" || !reflect.DeepEqual(tool.Inputs, []string{"examples/config/main.rs"}) {
		t.Errorf("config_tool's macro view: %+v", tool)
	}
}

// compile_data, which the aspect describes, is an input as in the
// build; a sibling repository's file lies outside the execution root.
func TestMacroViewInputs(t *testing.T) {
	s := &Spec{
		PackageDir:  ".",
		Srcs:        []File{{Path: "lib.rs", Source: true}, {Path: "../other/x.rs", Source: true}},
		CompileData: []File{{Path: "template.txt", Source: true}, {Path: "lib.rs", Source: true}},
	}
	v := macroView(s, testPaths, nil)
	if want := []string{"lib.rs", "template.txt"}; !reflect.DeepEqual(v.Inputs, want) || v.Env["CARGO_MANIFEST_DIR"] != "/" {
		t.Errorf("macroView = %+v; want inputs %v and CARGO_MANIFEST_DIR /", v, want)
	}
}
