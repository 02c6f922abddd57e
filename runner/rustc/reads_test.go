package rustc

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
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

// TestWithDepInfo: the runner reads the dep-info the command line asks
// for, or asks for its own, keeping rustc's default link output; dep-info
// in rustc's default place is refused, as the runner cannot tell where.
func TestWithDepInfo(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	st, err := action.Stage(dir, "rustc", []string{"out/libx.rmeta"})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Discard()
	staging := filepath.Join(dir, st.Dirs()[0])
	cases := []struct {
		args      []string
		emit      string // the argument added, with the runner's own path as PATH
		path      string // read, relative to dir; "" the runner's own
		wantError bool
	}{
		{args: []string{"x.rs"}, emit: "--emit=link,dep-info=PATH"},
		{args: []string{"x.rs", "--emit=metadata=out/libx.rmeta"}, emit: "--emit=dep-info=PATH"},
		{args: []string{"x.rs", "--emit", "metadata"}, emit: "--emit=dep-info=PATH"},
		{args: []string{"x.rs", "--emit=metadata,dep-info=out/x.d"}, path: "out/x.d"},
		{args: []string{"x.rs", "--emit", "dep-info=/abs/x.d"}, path: "/abs/x.d"},
		{args: []string{"x.rs", "--emit=dep-info=out/x.d", "--emit=metadata,dep-info"}, wantError: true},
	}
	for _, c := range cases {
		args, path, remove, err := withDepInfo(c.args, dir, st)
		if c.wantError {
			if !errors.Is(err, errDepInfoWithoutPath) {
				t.Errorf("%v: %v, want errDepInfoWithoutPath", c.args, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", c.args, err)
		}
		if c.path != "" {
			want := c.path
			if !filepath.IsAbs(want) {
				want = filepath.Join(dir, want)
			}
			if path != want || len(args) != len(c.args) {
				t.Errorf("%v: reads %s with %v, want %s unchanged", c.args, path, args, want)
			}
			remove()
			continue
		}
		if filepath.Dir(filepath.Dir(path)) != staging {
			t.Errorf("%v: the runner's dep-info %s is not in the staging directory %s", c.args, path, staging)
		}
		if got, want := args[len(args)-1], strings.ReplaceAll(c.emit, "PATH", path); got != want || len(args) != len(c.args)+1 {
			t.Errorf("%v: added %q, want %q", c.args, got, want)
		}
		remove()
		if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
			t.Errorf("%v: the runner's dep-info directory is left: %v", c.args, err)
		}
	}
}

// TestCheckReads checks dep-info as rustc writes it, without rustc: files
// outside the working directory are always undeclared; below it, they
// are checked against the request's inputs (a directory declares what is
// below it) when it lists them; variables rustc had from the runner are
// refused, its own ones are not.
func TestCheckReads(t *testing.T) {
	dir := t.TempDir()
	depInfo := filepath.Join(dir, "x.d")
	write := func(files ...string) {
		os.WriteFile(depInfo, []byte("out/x.rmeta: "+strings.Join(files, " ")+"\n\n# env-dep:DECLARED=1\n# env-dep:UNSET\n"), 0o644)
	}
	fromHost := map[string]bool{"PATH": true}
	cases := []struct {
		files  []string
		req    Request
		err    string
		fromOS map[string]bool
	}{
		{files: []string{"src/lib.rs", "src/data.txt"}},
		{files: []string{"src/lib.rs", "/etc/hostname"}, err: "rustc read /etc/hostname, which"},
		{files: []string{"src/../../x"}, err: "rustc read " + filepath.Join(filepath.Dir(dir), "x") + ", which"},
		{files: []string{dir + "/src/lib.rs"}, req: Request{Inputs: []string{"src/lib.rs"}}},
		{files: []string{"src/lib.rs", "src/data.txt"}, req: Request{Inputs: []string{"src/lib.rs"}}, err: "rustc read src/data.txt, which"},
		{files: []string{"src/lib.rs", "src/data.txt"}, req: Request{Inputs: []string{"src/lib.rs"}, Macros: Macros{Inputs: []string{"src/data.txt"}}}},
		{files: []string{"src/lib.rs", `out/gen/a\ b.rs`}, req: Request{Inputs: []string{"./src/lib.rs", "out/gen/"}}},
		{files: []string{"/etc/passwd", "src/x", "/etc/hostname"}, req: Request{Inputs: []string{}},
			err: "rustc read /etc/hostname, which is not among the compile's declared inputs; a macro or include_str!/include_bytes!/include! reached outside the sandbox (the file is outside the working directory, where no input can be); it also read /etc/passwd, src/x"},
		{files: []string{"src/lib.rs"}, fromOS: map[string]bool{"DECLARED": true}, err: "rustc read the environment variable DECLARED, which the action does not declare"},
	}
	for _, c := range cases {
		write(c.files...)
		undeclaredEnv := fromHost
		if c.fromOS != nil {
			undeclaredEnv = c.fromOS
		}
		err := checkReads(c.req, dir, depInfo, undeclaredEnv)
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.HasPrefix(err.Error(), c.err)) {
			t.Errorf("%v, inputs %v: %v, want %q", c.files, c.req.Inputs, err, c.err)
		}
	}
	if err := checkReads(Request{}, dir, filepath.Join(dir, "none.d"), fromHost); err != nil {
		t.Errorf("no dep-info: %v", err)
	}
}

// TestWithDepInfoAbsoluteOut: an absolute --out stages in an absolute
// directory, where the runner's own dep-info goes (it was joined to the
// working directory, and every such compile failed).
func TestWithDepInfoAbsoluteOut(t *testing.T) {
	dir, outDir := t.TempDir(), t.TempDir()
	st, err := action.Stage(dir, "rustc", []string{filepath.Join(outDir, "libx.rmeta")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Discard()
	_, path, remove, err := withDepInfo([]string{"x.rs"}, dir, st)
	if err != nil {
		t.Fatal(err)
	}
	defer remove()
	if !strings.HasPrefix(path, outDir) {
		t.Errorf("the dep-info goes to %s, not below %s", path, outDir)
	}
}
