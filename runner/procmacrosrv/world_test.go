package procmacrosrv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/procmacrosrv/macroview"
)

// readsLine is an ExpandMacro request for the reads macro with env: it
// reads path, or $CARGO_MANIFEST_DIR/input.txt when path is "".
func readsLine(lib, path string, env [][2]string) string {
	body := `{"subtree":[3,3,0,0,0],"literal":[],"punct":[],"ident":[],"token_tree":[],"text":[]}`
	if path != "" {
		body = fmt.Sprintf(`{"subtree":[3,3,0,0,1],"literal":[4,0,5,4294967295],"punct":[],"ident":[],"token_tree":[1],"text":[%q]}`, path)
	}
	pairs, _ := json.Marshal(env)
	return strings.Replace(expandLine(lib, "reads", body, ""), `[["CARGO_PKG_NAME","demo"],["HOME","/root"]]`, string(pairs), 1)
}

// workspace makes what a macro's world is made of on the host: a package
// with a declared source and data, and undeclared files beside them
// (.env, .git/config), and an execution root that links to the package,
// as Bazel's does. It returns the workspace's package and the root.
func workspace(t *testing.T) (pkg, execRoot string) {
	t.Helper()
	ws, execRoot := t.TempDir(), t.TempDir()
	pkg = filepath.Join(ws, "pkg")
	for name, text := range map[string]string{
		"pkg/input.txt":   "hello from the crate\n",
		"pkg/lib.rs":      "pub fn f() {}\n",
		"pkg/.env":        "TOKEN=secret-env\n",
		".git/config":     "[remote] token = secret-git\n",
		"pkg/undeclared":  "not an input\n",
		"pkg/data/a.txt":  "from a declared directory\n",
		"other/input.txt": "another package\n",
	} {
		p := filepath.Join(ws, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, top := range []string{"pkg", "other", ".git"} {
		if err := os.Symlink(filepath.Join(ws, top), filepath.Join(execRoot, top)); err != nil {
			t.Fatal(err)
		}
	}
	return pkg, execRoot
}

// With the crate's macro view, a macro sees what it sees in the build:
// the declared inputs at their paths below "/", and nothing else, neither
// its package's other files nor the host's.
func TestExpandSeesTheCratesDeclaredInputsOnly(t *testing.T) {
	lib := editorModule(t)
	pkg, execRoot := workspace(t)
	view := macroview.View{Root: execRoot, Inputs: []string{"pkg/input.txt", "pkg/lib.rs", "pkg/data"},
		Env: map[string]string{"CARGO_MANIFEST_DIR": "/pkg", "CARGO_PKG_NAME": "demo"}}
	// As rust-analyzer sends a crate's env: the host's CARGO_MANIFEST_DIR
	// beside the view.
	env := [][2]string{{"CARGO_MANIFEST_DIR", pkg}, {"CARGO_PKG_NAME", "demo"}, {macroview.EnvVar, view.Encode()}}
	var log bytes.Buffer
	s := newServer(t, 0, &log)
	for _, c := range []struct{ path, want string }{
		{"", `"hello from the crate"`},
		{"/pkg/lib.rs", `"pub fn f() {}"`},
		{"/pkg/data/a.txt", `"from a declared directory"`},
		{"/pkg/.env", `"error: NotFound"`},
		{"/.git/config", `"error: NotFound"`},
		{"/pkg/undeclared", `"error: NotFound"`},
		{"/other/input.txt", `"error: NotFound"`},
		{filepath.Join(pkg, ".env"), `"error: NotFound"`},
		{filepath.Join(pkg, "input.txt"), `"error: NotFound"`},
		{"/etc/passwd", `"error: NotFound"`},
	} {
		got := serve(t, s, readsLine(lib, c.path, env))
		if text, e := expanded(t, got[0]); !strings.Contains(text, c.want+"@1") {
			t.Errorf("reads %q: %s %s\nwant %s", c.path, text, e, c.want)
		}
	}
	if log.Len() != 0 {
		t.Errorf("log: %s", log.String())
	}
}

// A request without a view (an older rust-project.json) mounts nothing,
// rather than the whole directory the editor names, and the server says
// why, once.
func TestExpandWithoutAViewSeesNoFiles(t *testing.T) {
	lib := editorModule(t)
	pkg, _ := workspace(t)
	env := [][2]string{{"CARGO_MANIFEST_DIR", pkg}, {"CARGO_PKG_NAME", "demo"}}
	var log bytes.Buffer
	got := serve(t, newServer(t, 0, &log), readsLine(lib, "", env), readsLine(lib, filepath.Join(pkg, ".env"), env))
	for i, line := range got {
		if text, e := expanded(t, line); !strings.Contains(text, `"error: `) {
			t.Errorf("response %d: %s %s\nwant an error reading", i, text, e)
		}
	}
	if n := strings.Count(log.String(), "no "+macroview.EnvVar+" in rust-project.json"); n != 1 {
		t.Errorf("the log says it %d times, want once: %s", n, log.String())
	}
}

// A view that cannot be is the request's error, naming the way out.
func TestExpandWithABadView(t *testing.T) {
	lib := editorModule(t)
	for value, want := range map[string]string{
		`{"format":1,"root":"/nonesuch/execroot"}`:           "the execution root /nonesuch/execroot that rust-project.json names",
		`{"format":1,"root":"/","inputs":["../etc/passwd"]}`: `input "../etc/passwd" is not below the root`,
		`{"format":7,"root":"/"}`:                            "has format 7",
	} {
		got := serve(t, newServer(t, 0, nil), readsLine(lib, "", [][2]string{{macroview.EnvVar, value}}))
		if _, e := expanded(t, got[0]); !strings.Contains(e, want) || !strings.Contains(e, "rust_project again") {
			t.Errorf("view %s: %s\nwant an Err with %q", value, got[0], want)
		}
	}
}
