package rustc

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// nativeRustcs are the real rustcs to test with: Debian's /usr/bin/rustc
// (1.63; .ci/setup installs it) and the rustc on PATH, if it is another.
func nativeRustcs(t *testing.T) []string {
	t.Helper()
	var found []string
	if _, err := exec.LookPath("/usr/bin/rustc"); err == nil {
		found = append(found, "/usr/bin/rustc")
	} else if os.Getenv("CI") != "" {
		t.Fatal("/usr/bin/rustc is not installed; .ci/setup installs it")
	}
	if p, err := exec.LookPath("rustc"); err == nil && p != "/usr/bin/rustc" {
		found = append(found, p)
	}
	if len(found) == 0 {
		t.Skip("no native rustc")
	}
	return found
}

// TestNativeRustcReadsOnlyDeclaredFiles: a crate (or a macro's output)
// that includes a file outside the working directory does not compile,
// and no output is left; with a list of declared inputs, an undeclared
// file below the working directory is refused too; declared files (and,
// without a list, those below the working directory) compile. Before, a
// native rustc embedded whatever the OS let it read.
func TestNativeRustcReadsOnlyDeclaredFiles(t *testing.T) {
	for _, rustc := range nativeRustcs(t) {
		t.Run(strings.ReplaceAll(rustc, "/", "_"), func(t *testing.T) {
			outside := filepath.Join(t.TempDir(), "secret.txt")
			os.WriteFile(outside, []byte("not the action's"), 0o644)
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "src"), 0o755)
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			os.WriteFile(filepath.Join(dir, "src", "data.txt"), []byte("declared"), 0o644)
			os.WriteFile(filepath.Join(dir, "src", "outside.rs"), []byte("pub const S: &str = include_str!(\""+outside+"\");\n"), 0o644)
			// Beside the working directory, reached by climbing out of it.
			climb := filepath.Join(filepath.Dir(dir), "climb.txt")
			os.WriteFile(climb, []byte("beside the action"), 0o644)
			os.WriteFile(filepath.Join(dir, "src", "bytes.rs"), []byte("pub const S: &[u8] = include_bytes!(\"../../climb.txt\");\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "src", "data.rs"), []byte("pub const S: &str = include_str!(\"data.txt\");\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "src", "path_env.rs"), []byte("pub const S: Option<&str> = option_env!(\"PATH\");\n"), 0o644)
			svc := NewService(engine.Config{})
			defer svc.Close(context.Background())
			run := func(root string, inputs []string, extra ...string) (int, string, error) {
				outs := []string{"out/libx.rmeta"}
				args := []string{root, "--crate-type=rlib", "--crate-name=x", "--emit=metadata=out/libx.rmeta"}
				for _, e := range extra {
					outs = append(outs, strings.TrimPrefix(e, "--emit=dep-info="))
					args = append(args, e)
				}
				return compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: outs, Args: args, Inputs: inputs})
			}
			refused := func(what string, code int, stderr string, err error, read string) {
				t.Helper()
				want := "rustc read " + read + ", which is not among the compile's declared inputs"
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%s: exit %d, %v (want %q): %s", what, code, err, want, stderr)
				}
				t.Logf("%s: %v", what, err)
				if l := leftovers(t, dir); len(l) != 0 {
					t.Errorf("%s: left behind %v", what, l)
				}
			}

			code, stderr, err := run("src/outside.rs", nil)
			refused("include_str! of a file outside", code, stderr, err, outside)
			code, stderr, err = run("src/bytes.rs", nil)
			refused("include_bytes! climbing out", code, stderr, err, climb)
			code, stderr, err = run("src/outside.rs", []string{"src/outside.rs"}, "--emit=dep-info=out/x.d")
			refused("the command line's own dep-info", code, stderr, err, outside)
			code, stderr, err = run("src/data.rs", []string{"src/data.rs"})
			refused("undeclared below the working directory", code, stderr, err, "src/data.txt")
			code, stderr, err = run("src/path_env.rs", nil)
			if want := "rustc read the environment variable PATH, which the action does not declare"; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("option_env!(\"PATH\"): exit %d, %v (want %q): %s", code, err, want, stderr)
			}

			for _, inputs := range [][]string{nil, {"src/data.rs", "src/data.txt"}, {"src/data.rs", "src"}} {
				code, stderr, err = run("src/data.rs", inputs)
				if err != nil || code != 0 {
					t.Fatalf("declared %v: exit %d, %v: %s", inputs, code, err, stderr)
				}
			}
			code, stderr, err = run("src/data.rs", []string{"src/data.rs", "src/data.txt"}, "--emit=dep-info=out/x.d")
			if err != nil || code != 0 {
				t.Fatalf("with the command line's dep-info: exit %d, %v: %s", code, err, stderr)
			}
			// Only the declared outputs are left: the runner's own dep-info
			// went with the staging directory.
			if got := strings.Join(leftovers(t, dir), ","); got != "out/libx.rmeta,out/x.d" {
				t.Errorf("out/ holds %s", got)
			}
		})
	}
}

// TestParseDepInfo reads the files and environment variables of rustc's
// dep-info (as rustc 1.63 and 1.95 write it: spaces escaped, nothing
// else).
func TestParseDepInfo(t *testing.T) {
	d := parseDepInfo([]byte(`out/libx.rmeta: src/lib.rs src/sp\ ace.rs /etc/hostname src/back\slash.rs src/a:b.rs

/tmp/x.d: src/lib.rs src/sp\ ace.rs /etc/hostname src/back\slash.rs src/a:b.rs

src/lib.rs:
src/sp\ ace.rs:
/etc/hostname:
src/back\slash.rs:
src/a:b.rs:

# env-dep:FOO_SECRET=s3
# env-dep:NOT_SET
# env-dep:MULTI=a\nb
`))
	if got := strings.Join(d.files, "|"); got != "/etc/hostname|src/a:b.rs|src/back\\slash.rs|src/lib.rs|src/sp ace.rs" {
		t.Errorf("files %s", got)
	}
	if got := strings.Join(d.env, "|"); got != "FOO_SECRET|MULTI|NOT_SET" {
		t.Errorf("env %s", got)
	}
}
