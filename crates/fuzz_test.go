package main

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/bazelbuild/buildtools/build"
)

// fuzzValues are what FuzzManifestToStarlark varies: what a dependency's
// Cargo.toml and the user's overrides may hold.
type fuzzValues struct {
	feature, ovFeature, cfg, flag, envK, envV, bsK, bsV, wasmCfg, links, rename string
}

// fuzzMetadata is cargo metadata for a member that depends on "dep" (a
// registry crate in --sources with a build script) under the name rename,
// with v's values in dep's manifest and in the member's overrides.
func fuzzMetadata(t *testing.T, v fuzzValues) (*options, *metadata) {
	o := &options{manifest: "/ws/third_party/Cargo.toml", sources: "/reg", out: "/ws/third_party/crates",
		outPkg: "third_party/crates", root: "/ws", cargo: "cargo", repoPrefix: "crates",
		urlTemplate: "https://crates.io/api/v1/crates/{name}/{version}/download"}
	ov := map[string]any{"rules_rustc_wasm": map[string]any{"crates": map[string]any{"dep": map[string]any{
		"cfgs": []string{v.cfg}, "rustc_flags": []string{v.flag}, "rustc_env": map[string]string{v.envK: v.envV},
		"features": []string{v.ovFeature}, "build_script_env": map[string]string{v.bsK: v.bsV},
		"wasm_flavour_cfgs": []string{v.wasmCfg},
	}}}}
	raw, err := json.Marshal(ov)
	if err != nil {
		t.Fatal(err)
	}
	registry := "registry+https://github.com/rust-lang/crates.io-index"
	links := v.links
	md := &metadata{WorkspaceRoot: "/ws/third_party", WorkspaceMembers: []string{"member"}}
	member := &cargoPackage{Name: "demo", Version: "0.1.0", ID: "member", ManifestPath: "/ws/third_party/Cargo.toml", Metadata: raw}
	member.Dependencies = append(member.Dependencies, struct {
		Name   string  `json:"name"`
		Rename *string `json:"rename"`
		Kind   *string `json:"kind"`
		Req    string  `json:"req"`
	}{Name: "dep", Rename: &v.rename, Req: "1"})
	dep := &cargoPackage{Name: "dep", Version: "1.0.0", ID: "dep", Source: &registry, Edition: "2021", Links: &links,
		ManifestPath: "/reg/dep-1.0.0/Cargo.toml", Targets: []*cargoTarget{
			{Kind: []string{"lib"}, Name: "dep", SrcPath: "/reg/dep-1.0.0/src/lib.rs", Edition: "2021"},
			{Kind: []string{"custom-build"}, Name: "build-script-build", SrcPath: "/reg/dep-1.0.0/build.rs", Edition: "2021"},
		}}
	md.Packages = []*cargoPackage{member, dep}
	md.Resolve = &struct {
		Nodes []*resolveNode `json:"nodes"`
	}{}
	mn := &resolveNode{ID: "member"}
	mn.Deps = append(mn.Deps, resolveDep{Name: strings.ReplaceAll(v.rename, "-", "_"), Pkg: "dep"})
	md.Resolve.Nodes = []*resolveNode{mn, {ID: "dep", Features: []string{"default", v.feature}}}
	return o, md
}

// stringsOf returns every string literal of f that is not triple-quoted
// (docstrings and build_file_content are; what the generator writes of a
// crate is not).
func stringsOf(f *build.File) []string {
	var out []string
	build.Walk(f, func(x build.Expr, _ []build.Expr) {
		if s, ok := x.(*build.StringExpr); ok && !s.TripleQuote {
			out = append(out, s.Value)
		}
	})
	return out
}

// FuzzManifestToStarlark: whatever a dependency's manifest and the
// overrides hold, the generator either refuses it or writes Starlark that
// parses back into exactly those values, none of them with a control
// character.
func FuzzManifestToStarlark(f *testing.F) {
	f.Add("std", "extra", "demo_cfg", "-Cdebuginfo=0", "DEMO_ENV", "1", "DEMO_BUILD", "yes", "use_proc_macro", "demo_local", "dep")
	f.Add("\"\n-Cpanic=abort\n-Ax", "x", "x\n-Clinker=/bin/sh", "-Ax", "A", "1\n--\nx", "OUT_DIR", "/etc", "=x", "", "my-dep")
	f.Add("a\"b", "\\", "\x00", "\r", "A=B", "", "", "", "", "l\x1bn", "é\u0085")
	f.Add("ü", "triple\"\"\"quote", `a\nb`, "'", "_", "\"\"\"", "B", "\\x00", "c", "\"\"", "dep")
	f.Fuzz(func(t *testing.T, feature, ovFeature, cfg, flag, envK, envV, bsK, bsV, wasmCfg, links, rename string) {
		v := fuzzValues{feature, ovFeature, cfg, flag, envK, envV, bsK, bsV, wasmCfg, links, rename}
		o, md := fuzzMetadata(t, v)
		g, err := graphFrom(o, md, "/ws/third_party/Cargo.lock", map[string]string{})
		if err != nil {
			return
		}
		files, err := render(o, g)
		if err != nil {
			return
		}
		// json.Marshal made the override strings valid UTF-8.
		var back struct {
			RulesRustcWasm struct {
				Crates map[string]*override `json:"crates"`
			} `json:"rules_rustc_wasm"`
		}
		if err := json.Unmarshal(md.Packages[0].Metadata, &back); err != nil {
			t.Fatal(err)
		}
		ov := back.RulesRustcWasm.Crates["dep"]

		bzl, err := build.ParseBzl("crates.bzl", files["crates.bzl"])
		if err != nil {
			t.Fatalf("crates.bzl does not parse: %v\n%s", err, files["crates.bzl"])
		}
		var content string
		build.Walk(bzl, func(x build.Expr, _ []build.Expr) {
			if c, ok := x.(*build.CallExpr); ok {
				if r := (&build.Rule{Call: c}); r.Kind() == "crate_repository" {
					content = r.AttrString("build_file_content")
				}
			}
		})
		crateBuild, err := build.ParseBuild("BUILD.bazel", []byte(content))
		if err != nil {
			t.Fatalf("the crate's BUILD does not parse: %v\n%s", err, content)
		}
		aliases, err := build.ParseBuild("BUILD.bazel", files["BUILD.bazel"])
		if err != nil {
			t.Fatalf("BUILD.bazel does not parse: %v\n%s", err, files["BUILD.bazel"])
		}
		for _, file := range []*build.File{bzl, crateBuild, aliases} {
			for _, s := range stringsOf(file) {
				if p := textProblem(s); p != "" {
					t.Fatalf("%s: %q %s", file.Path, s, p)
				}
			}
		}

		rules := map[string]*build.Rule{}
		for _, r := range crateBuild.Rules("") {
			rules[r.Kind()] = r
		}
		lib, script := rules["wasm_rust_library"], rules["cargo_build_script"]
		if lib == nil || script == nil {
			t.Fatalf("rules %v in\n%s", rules, content)
		}
		features := unique([]string{"default", feature, ov.Features[0]})
		if got := lib.AttrStrings("crate_features"); !reflect.DeepEqual(got, features) {
			t.Errorf("crate_features %q, want %q", got, features)
		}
		if got, want := lib.AttrStrings("rustc_flags"), []string{"--cap-lints=allow", ov.RustcFlags[0], "--cfg=" + ov.Cfgs[0]}; !reflect.DeepEqual(got, want) {
			t.Errorf("rustc_flags %q, want %q", got, want)
		}
		if got := dict(t, lib, "rustc_env"); !reflect.DeepEqual(got, ov.RustcEnv) {
			t.Errorf("rustc_env %q, want %q", got, ov.RustcEnv)
		}
		if got := dict(t, script, "build_script_env"); !reflect.DeepEqual(got, ov.BuildScriptEnv) {
			t.Errorf("build_script_env %q, want %q", got, ov.BuildScriptEnv)
		}
		if got := script.AttrStrings("wasm_flavour_cfgs"); !reflect.DeepEqual(got, ov.WasmFlavourCfgs) {
			t.Errorf("wasm_flavour_cfgs %q, want %q", got, ov.WasmFlavourCfgs)
		}
		if got := script.AttrString("links"); got != links {
			t.Errorf("links %q, want %q", got, links)
		}
		name := "dep"
		if strings.ReplaceAll(rename, "-", "_") != "dep" {
			name = rename
		}
		if r := aliases.Rules("alias"); len(r) != 1 || r[0].Name() != name {
			t.Errorf("aliases %v, want one named %q", r, name)
		}
	})
}

// TestFuzzMetadata: the fuzz target's metadata generates with good values
// (so the round trip is checked), and is refused with the issue's.
func TestFuzzMetadata(t *testing.T) {
	o, md := fuzzMetadata(t, fuzzValues{"std", "extra", "demo_cfg", "-Cdebuginfo=0", "DEMO_ENV", "1", "DEMO_BUILD", "yes", "use_proc_macro", "demo_local", "my-dep"})
	g, err := graphFrom(o, md, "Cargo.lock", nil)
	if err == nil {
		_, err = render(o, g)
	}
	if err != nil {
		t.Fatal(err)
	}
	o, md = fuzzMetadata(t, fuzzValues{"\"\n-Cpanic=abort\n-Ax", "x", "c", "f", "A", "1", "B", "2", "w", "l", "dep"})
	if _, err := graphFrom(o, md, "Cargo.lock", nil); err == nil || !strings.Contains(err.Error(), "crate dep 1.0.0: features in /reg/dep-1.0.0/Cargo.toml") {
		t.Fatalf("got %v", err)
	}
}
