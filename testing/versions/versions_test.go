// Package versions checks that the versions the project writes in more
// than one file agree: rules/private/versions.bzl holds them once for
// Starlark, and go.mod, go.sum, MODULE.bazel (which cannot load a .bzl
// file) and the CI scripts must say the same. So must the defaults that
// settings/BUILD.bazel and the runner both write.
package versions

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bazelbuild/buildtools/build"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

const root = "../.."

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// bzlValue is the value of a top-level assignment in a .bzl file.
func bzlValue(t *testing.T, file, name string) build.Expr {
	t.Helper()
	f, err := build.ParseBzl(file, []byte(read(t, file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range f.Stmt {
		if a, ok := stmt.(*build.AssignExpr); ok {
			if id, ok := a.LHS.(*build.Ident); ok && id.Name == name {
				return a.RHS
			}
		}
	}
	t.Fatalf("%s assigns no %s", file, name)
	return nil
}

func str(t *testing.T, e build.Expr, what string) string {
	t.Helper()
	s, ok := e.(*build.StringExpr)
	if !ok {
		t.Fatalf("%s is not a string literal: %s", what, build.FormatString(e))
	}
	return s.Value
}

// goModule is one entry of GO_MODULES.
type goModule struct{ importpath, version, sum string }

func goModules(t *testing.T) map[string]goModule {
	d, ok := bzlValue(t, "rules/private/versions.bzl", "GO_MODULES").(*build.DictExpr)
	if !ok {
		t.Fatal("GO_MODULES is not a dict literal")
	}
	mods := map[string]goModule{}
	for _, kv := range d.List {
		name := str(t, kv.Key, "a GO_MODULES key")
		fields := map[string]string{}
		inner, ok := kv.Value.(*build.DictExpr)
		if !ok {
			t.Fatalf("GO_MODULES[%q] is not a dict literal", name)
		}
		for _, f := range inner.List {
			k := str(t, f.Key, "a key of GO_MODULES["+name+"]")
			fields[k] = str(t, f.Value, "GO_MODULES["+name+"]."+k)
		}
		mods[name] = goModule{fields["importpath"], fields["version"], fields["sum"]}
	}
	return mods
}

// goModRequires is go.mod's require lines: module path to version.
func goModRequires(t *testing.T) map[string]string {
	req := map[string]string{}
	line := regexp.MustCompile(`^(?:require\s+)?([a-z0-9.\-/]+\.[a-z]+/[^\s]+)\s+(v[^\s]+)`)
	sc := bufio.NewScanner(strings.NewReader(read(t, "go.mod")))
	for sc.Scan() {
		if m := line.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
			req[m[1]] = m[2]
		}
	}
	return req
}

func TestGoModulesAgreeWithGoMod(t *testing.T) {
	mods := goModules(t)
	byPath := map[string]goModule{}
	for _, m := range mods {
		byPath[m.importpath] = m
	}
	sum := read(t, "go.sum")
	for path, version := range goModRequires(t) {
		m, ok := byPath[path]
		if !ok {
			t.Errorf("go.mod requires %s %s; rules/private/versions.bzl's GO_MODULES lacks it", path, version)
			continue
		}
		if m.version != version {
			t.Errorf("%s: go.mod says %s, GO_MODULES %s", path, version, m.version)
		}
		if want := fmt.Sprintf("%s %s %s\n", path, version, m.sum); !strings.Contains(sum, want) {
			t.Errorf("%s %s: GO_MODULES's sum %s is not go.sum's", path, version, m.sum)
		}
	}
	for name, m := range mods {
		if m.importpath == "" || !strings.HasPrefix(m.version, "v") || !strings.HasPrefix(m.sum, "h1:") {
			t.Errorf("GO_MODULES[%q] = %+v: want importpath, version and an h1: sum", name, m)
		}
	}
}

func TestGoVersionAgrees(t *testing.T) {
	goVersion := str(t, bzlValue(t, "rules/private/versions.bzl", "GO_VERSION"), "GO_VERSION")
	module := regexp.MustCompile(`go_sdk\.download\(version = "([^"]+)"\)`).FindStringSubmatch(read(t, "MODULE.bazel"))
	if module == nil || module[1] != goVersion {
		t.Errorf("MODULE.bazel's go_sdk.download: %q, want GO_VERSION %s", module, goVersion)
	}
	if want := "golang.org/toolchain@v0.0.1-go" + goVersion + "."; !strings.Contains(read(t, ".ci/setup"), want) {
		t.Errorf(".ci/setup does not warm %s", want)
	}
	// go.mod's go line is the oldest Go the module builds with: not newer
	// than the SDK the rules use.
	m := regexp.MustCompile(`(?m)^go (\d+)\.(\d+)`).FindStringSubmatch(read(t, "go.mod"))
	var sdkMajor, sdkMinor int
	fmt.Sscanf(goVersion, "%d.%d", &sdkMajor, &sdkMinor)
	var major, minor int
	if m != nil {
		fmt.Sscanf(m[1]+"."+m[2], "%d.%d", &major, &minor)
	}
	if m == nil || major > sdkMajor || (major == sdkMajor && minor > sdkMinor) {
		t.Errorf("go.mod's go line %q is newer than GO_VERSION %s", m, goVersion)
	}
}

func TestBuildifierIsGoModsBuildtools(t *testing.T) {
	version := goModRequires(t)["github.com/bazelbuild/buildtools"]
	if want := "BUILDIFIER=github.com/bazelbuild/buildtools/buildifier@" + version + "\n"; version == "" || !strings.Contains(read(t, ".ci/test"), want) {
		t.Errorf(".ci/test's buildifier is not go.mod's buildtools %s", version)
	}
}

func TestBootstrapRuleSetsAreWarmed(t *testing.T) {
	d, ok := bzlValue(t, "rules/private/versions.bzl", "BOOTSTRAP_GO_MODULES").(*build.DictExpr)
	if !ok {
		t.Fatal("BOOTSTRAP_GO_MODULES is not a dict literal")
	}
	setup := read(t, ".ci/setup")
	for _, kv := range d.List {
		inner := kv.Value.(*build.DictExpr)
		fields := map[string]string{}
		for _, f := range inner.List {
			fields[str(t, f.Key, "key")] = str(t, f.Value, "value")
		}
		if want := fields["module"] + "@" + fields["version"]; !strings.Contains(setup, want) {
			t.Errorf(".ci/setup does not warm %s", want)
		}
	}
}

// bzlDict is a top-level dict of strings in rules/private/versions.bzl.
func bzlDict(t *testing.T, name string) map[string]string {
	t.Helper()
	d, ok := bzlValue(t, "rules/private/versions.bzl", name).(*build.DictExpr)
	if !ok {
		t.Fatalf("%s is not a dict literal", name)
	}
	fields := map[string]string{}
	for _, kv := range d.List {
		k := str(t, kv.Key, "a key of "+name)
		fields[k] = str(t, kv.Value, name+"."+k)
	}
	return fields
}

// MODULE.bazel's rules_go and gazelle are WORKSPACE's.
func TestBazelDepsAgree(t *testing.T) {
	module := read(t, "MODULE.bazel")
	for dep, name := range map[string]string{"rules_go": "RULES_GO", "gazelle": "GAZELLE"} {
		version := strings.TrimPrefix(bzlDict(t, name)["version"], "v")
		want := fmt.Sprintf(`bazel_dep(name = %q, version = %q`, dep, version)
		if version == "" || !strings.Contains(module, want) {
			t.Errorf("MODULE.bazel has no %s, the version of %s", want, name)
		}
	}
}

// settingDefault is the build_setting_default of the setting name in
// settings/BUILD.bazel.
func settingDefault(t *testing.T, name string) build.Expr {
	t.Helper()
	const file = "settings/BUILD.bazel"
	f, err := build.ParseBuild(file, []byte(read(t, file)))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Rules("") {
		if r.Name() == name {
			if e := r.Attr("build_setting_default"); e != nil {
				return e
			}
			t.Fatalf("%s: %s has no build_setting_default", file, name)
		}
	}
	t.Fatalf("%s has no setting %s", file, name)
	return nil
}

// The wasm macro settings' defaults are the runner's: a build that sets
// neither gets the limits a bare runner has.
func TestMacroLimitDefaultsAgree(t *testing.T) {
	timeout := str(t, settingDefault(t, "wasm_macro_timeout"), "wasm_macro_timeout")
	if d, err := time.ParseDuration(timeout); err != nil || d != macroexpand.DefaultTimeout {
		t.Errorf("//settings:wasm_macro_timeout defaults to %q (%v); macroexpand.DefaultTimeout is %v", timeout, err, macroexpand.DefaultTimeout)
	}
	e := settingDefault(t, "wasm_macro_max_memory_mib")
	n, ok := e.(*build.LiteralExpr)
	if !ok || n.Token != fmt.Sprint(macroexpand.DefaultMemoryMiB) {
		t.Errorf("//settings:wasm_macro_max_memory_mib defaults to %s; macroexpand.DefaultMemoryMiB is %d", build.FormatString(e), macroexpand.DefaultMemoryMiB)
	}
}
