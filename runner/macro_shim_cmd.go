package main

// The "macro-shim" verb: it writes the native shim crate of a wasm proc
// macro from the declarations its module carries, so that a native rustc
// can load the macros (each forwards its expansions to the runner).

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// macroShimUsage is the text of "runner macro-shim --help", before its flags.
const macroShimUsage = `usage: runner macro-shim --module FILE --crate-name NAME --out FILE

Writes the native shim crate of a wasm proc macro: the macros its module
declares (its .rustc_proc_macro_decls custom section), each forwarding its
expansions to the runner. The module must be one of rules_rustc_wasm's: its
key (the rules_rustc_wasm.macro section) goes into the shim.
`

func macroShimMain(args []string, stderr io.Writer) int {
	fs := newFlagSet("macro-shim", stderr, macroShimUsage)
	module := fs.String("module", "", "the wasm proc-macro module `FILE` (lib<crate>.wasm)")
	crateName := fs.String("crate-name", "", "the macro crate's `NAME`")
	out := fs.String("out", "", "write the shim crate's source to `FILE`")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if *module == "" || *crateName == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "runner macro-shim: --module, --crate-name and --out are required, and nothing else")
		return exitFailure
	}
	if err := writeShim(*module, *crateName, *out); err != nil {
		fmt.Fprintf(stderr, "runner macro-shim: %v\n", err)
		return exitFailure
	}
	return 0
}

func writeShim(module, crateName, out string) error {
	m, err := macroexpand.ReadModule(module)
	if err != nil {
		return err
	}
	if len(m.Decls) == 0 {
		return fmt.Errorf("%s declares no proc macro", module)
	}
	// The comment names the module by its file name: its directory is the
	// configuration's (bazel-out/<cfg>/bin/...), whose name Bazel 4 derives
	// from the build's flags, and the shim's source is hashed into its
	// crate and those that use it.
	src, err := macrobuild.ShimSource(filepath.Base(module), crateName, m.Key, m.Decls)
	if err != nil {
		return fmt.Errorf("%s: %w", module, err)
	}
	return action.WriteAll("", "macro-shim", map[string][]byte{out: src}, []action.FlagPath{{Flag: "--module", Path: module}})
}
