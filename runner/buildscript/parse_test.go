package buildscript

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name, stdout string
		opt          ParseOptions
		flags, env   string // joined with spaces
		warnings     string
		err          string
	}{
		{name: "cfgs", stdout: "cargo:rustc-cfg=a\ncargo::rustc-cfg=b=\"c d\"\r\ncargo:rustc-check-cfg=cfg(a)\n",
			flags: `--cfg=a --cfg=b="c d" --check-cfg=cfg(a)`},
		{name: "chatter and metadata", stdout: "hello\n  cargo:rustc-cfg=indented\ncargo:root=/x\ncargo::metadata=k=v\ncargo:rerun-if-changed=a\n"},
		{name: "env", stdout: "cargo:rustc-env=A=1=2\ncargo::rustc-env=B=\n", env: "A=1=2 B="},
		{name: "env without value", stdout: "cargo:rustc-env=A\n", err: "want rustc-env=NAME=VALUE"},
		{name: "no equals", stdout: "cargo:rustc-cfg\n", err: "want cargo:KEY=VALUE"},
		{name: "link", stdout: "cargo:rustc-link-lib=z\ncargo:rustc-link-lib=static:+whole-archive=y\ncargo:rustc-link-search=/a\ncargo:rustc-link-search=dependency=/b\n",
			flags: "-lz -lstatic:+whole-archive=y -Lnative=/a -Ldependency=/b"},
		{name: "link on wasm32", stdout: "cargo:rustc-link-lib=dylib=z\n", opt: ParseOptions{Target: "wasm32-wasi", Crate: "libz-sys"},
			err: `crate libz-sys asks to link the native library "z", which target wasm32-wasi cannot link`},
		{name: "search on wasm32", stdout: "cargo:rustc-link-search=/a\n", opt: ParseOptions{Target: "wasm32-unknown-unknown"}, flags: "-Lnative=/a"},
		{name: "rustc-flags", stdout: "cargo:rustc-flags=-l a -lb  -L /c -Lnative=/d\n", flags: "-la -lb -Lnative=/c -Lnative=/d"},
		{name: "rustc-flags other", stdout: "cargo:rustc-flags=-l a -C opt-level=3\n", err: `only -l and -L, not "-C"`},
		{name: "rustc-flags dangling", stdout: "cargo:rustc-flags=-l\n", err: "-l without a value"},
		{name: "rustc-flags wasm32", stdout: "cargo:rustc-flags=-lz\n", opt: ParseOptions{Target: "wasm32-wasi", Crate: "c"}, err: `native library "z"`},
		{name: "warnings", stdout: "cargo:warning=one  \ncargo::warning=two\n", warnings: "one|two"},
		{name: "new form unknown", stdout: "cargo::frobnicate=1\n", err: `unknown key "frobnicate"`},
		{name: "new form error", stdout: "cargo::error=no zlib\n", err: "the script reports an error: no zlib"},
		{name: "old form error is metadata", stdout: "cargo:error=x\n"},
		{name: "link args ignored", stdout: "cargo:rustc-link-arg=-Wl,-z\ncargo::rustc-link-arg-bins=x\n"},
		{name: "out dir replaced", stdout: "cargo:rustc-link-search=native=/out_dir/lib\ncargo:rustc-env=G=/out_dir/g.rs\n",
			opt:   ParseOptions{OutDir: "/out_dir", Final: "bazel-out/bin/x.out_dir"},
			flags: "-Lnative=bazel-out/bin/x.out_dir/lib", env: "G=bazel-out/bin/x.out_dir/g.rs"},
		// Issue 15: mentions were replaced as substrings.
		{name: "out dir replaced as whole paths only",
			stdout: "cargo:rustc-env=A=/out_dir2\ncargo:rustc-env=B=/x/out_dir/y\ncargo:rustc-env=C=/out_dir\ncargo:rustc-env=D=/out_dir/a:/out_dir/b\ncargo:rustc-env=E=/out_dir.old\n",
			opt:    ParseOptions{OutDir: "/out_dir", Final: "F"},
			env:    "A=/out_dir2 B=/x/out_dir/y C=F D=F/a:F/b E=/out_dir.old"},
		// Issue 15: a value with a control character became two arguments
		// (or a truncated variable).
		{name: "control character in a cfg", stdout: "cargo:rustc-cfg=a\x1b[2Jb\n", err: "cargo:rustc-cfg: a control character (U+001B) at byte 1"},
		{name: "carriage return inside a value", stdout: "cargo:rustc-check-cfg=cfg(a)\r-Cpanic=abort\n", err: "control character (U+000D)"},
		{name: "trailing carriage return is a line end", stdout: "cargo:rustc-cfg=a\r\n", flags: "--cfg=a"},
		{name: "NUL in an env value", stdout: "cargo:rustc-env=A=x\x00y\n", err: "control character (U+0000)"},
		{name: "C1 control in a link path", stdout: "cargo:rustc-link-search=/a\u0085b\n", err: "control character (U+0085)"},
		{name: "not UTF-8", stdout: "cargo:rustc-env=A=\xff\n", err: "not UTF-8"},
		{name: "warning with control characters is printed, not refused", stdout: "cargo:warning=\x1b[31mred\n", warnings: "\x1b[31mred"},
		{name: "ignored keys are not checked", stdout: "cargo:root=\x01\ncargo:rerun-if-changed=\x02\n"},
		// Issue 15: rustc-env names and values went unchecked.
		{name: "RUSTC_BOOTSTRAP", stdout: "cargo:rustc-env=RUSTC_BOOTSTRAP=1\n", opt: ParseOptions{Crate: "sneaky"},
			err: "crate sneaky may not set RUSTC_BOOTSTRAP"},
		{name: "OUT_DIR", stdout: "cargo:rustc-env=OUT_DIR=/etc\n", err: "may not set OUT_DIR"},
		{name: "CARGO_MANIFEST_DIR", stdout: "cargo::rustc-env=CARGO_MANIFEST_DIR=/\n", err: "may not set CARGO_MANIFEST_DIR"},
		{name: "env name with a space", stdout: "cargo:rustc-env=A B=1\n", err: `"A B" is not a variable name`},
		{name: "env name with NUL", stdout: "cargo:rustc-env=A\x00B=1\n", err: "control character (U+0000)"},
		{name: "env name beyond ASCII", stdout: "cargo:rustc-env=Ä=1\n", err: "is not a variable name"},
		{name: "env set twice: the last wins", stdout: "cargo:rustc-env=A=1\ncargo:rustc-env=B=2\ncargo:rustc-env=A=3\n", env: "A=3 B=2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins, err := Parse([]byte(tc.stdout), tc.opt)
			// Fed a byte at a time, the stream parses the same.
			c := newCapture(true)
			for i := 0; i < len(tc.stdout); i++ {
				c.Write([]byte{tc.stdout[i]})
			}
			lines, err2 := c.instructions()
			var ins2 *Instructions
			if err2 == nil {
				ins2, err2 = parseInstructions(lines, tc.opt)
			}
			if (err == nil) != (err2 == nil) || err == nil && !reflect.DeepEqual(ins, ins2) {
				t.Errorf("byte by byte: %+v %v; at once: %+v %v", ins2, err2, ins, err)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an error with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(ins.Flags, " "); got != tc.flags {
				t.Errorf("flags %q, want %q", got, tc.flags)
			}
			if got := strings.Join(ins.Env, " "); got != tc.env {
				t.Errorf("env %q, want %q", got, tc.env)
			}
			if got := strings.Join(ins.Warnings, "|"); got != tc.warnings {
				t.Errorf("warnings %q, want %q", got, tc.warnings)
			}
		})
	}
}

// TestLongLines: a line longer than bufio's limit used to fail the parse
// (bufio.Scanner: token too long); chatter of any length is skipped, an
// instruction over MaxInstructions is an error that says so, and so are
// more than MaxInstructions of them in all.
func TestLongLines(t *testing.T) {
	long := bytes.Repeat([]byte("x"), MaxInstructions+1)
	out := append(append([]byte("chatter "), long...), "\ncargo:rustc-cfg=after\n"...)
	ins, err := Parse(out, ParseOptions{})
	if err != nil || strings.Join(ins.Flags, " ") != "--cfg=after" {
		t.Fatalf("long chatter: %v %v", ins, err)
	}
	out = append(append([]byte("cargo:rustc-cfg="), long...), '\n')
	if _, err := Parse(out, ParseOptions{}); err == nil || !strings.Contains(err.Error(), "stdout line 1: a cargo: line longer than 16 MiB") {
		t.Fatalf("long instruction: %v", err)
	}
	line := "cargo:warning=" + strings.Repeat("w", 1<<20) + "\n"
	out = []byte(strings.Repeat(line, 17))
	if _, err := Parse(out, ParseOptions{}); err == nil || !strings.Contains(err.Error(), "more than 16 MiB of cargo: lines") {
		t.Fatalf("many instructions: %v", err)
	}
}

// TestCaptureExcerpt: what a report shows of a stream is bounded, whatever
// the script printed (before, all of it: 64 MiB echoed).
func TestCaptureExcerpt(t *testing.T) {
	c := newCapture(false)
	c.Write([]byte("start\n"))
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	for i := 0; i < 1024; i++ { // 64 MiB
		c.Write(chunk)
	}
	c.Write([]byte("\nthe end\n"))
	ex := string(c.excerpt("stderr"))
	if len(ex) > ReportHead+ReportTail+200 || !strings.HasPrefix(ex, "start\n") || !strings.HasSuffix(ex, "\nthe end\n") {
		t.Fatalf("excerpt of %d bytes: %.100q ... %.100q", len(ex), ex, ex[len(ex)-100:])
	}
	dropped := 6 + 64<<20 + 9 - ReportHead - ReportTail
	if want := "[... " + strconv.Itoa(dropped) + " bytes of the script's stderr left out ...]\n"; !strings.Contains(ex, want) {
		t.Errorf("excerpt lacks %q", want)
	}
	small := newCapture(false)
	small.Write([]byte("all\nof it"))
	if got := string(small.excerpt("stdout")); got != "all\nof it" {
		t.Errorf("short stream: %q", got)
	}
}
