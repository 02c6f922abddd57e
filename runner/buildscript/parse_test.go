package buildscript

import (
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
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins, err := Parse([]byte(tc.stdout), tc.opt)
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
