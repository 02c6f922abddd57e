package main

// The "macro-srcs" verb: it lays out a crate's sources for the wasm macro
// side of a native toolchain. A proc-macro crate's root gets its
// #[proc_macro*] attributes renamed to those of rules_rustc_wasm_attrs,
// which register the macros in the module, and its key appended (the
// native shim is written from the compiled module, by macro-shim); a
// library whose cfgs take proc_macro away on WASI gets them rewritten
// (macrobuild.WasiGate). This file is the verb's flags; the rewrites are
// package macrobuild's.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

type macroSrcsFlags struct {
	copies   listFlag
	root     string
	key      string
	edition  string
	wasiGate string
}

// macroSrcsUsage is the text of "runner macro-srcs --help", before its flags.
const macroSrcsUsage = `usage: runner macro-srcs --copy SRC=DST... [--root SRC --key KEY --edition E] [--wasi-gate-cfg CFG]

Lays out a crate's sources for the wasm macro side of a native toolchain.
Every output is written under a temporary name and renamed into place only
when all of them are ready: on an error none is left.
`

func newMacroSrcsFlagSet(f *macroSrcsFlags, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet("macro-srcs", stderr, macroSrcsUsage)
	fs.Var(&f.copies, "copy", "`SRC=DST`: write source SRC to DST, rewritten as the other flags say (repeatable)")
	fs.StringVar(&f.root, "root", "", "the proc-macro crate's root `SRC` (one of the --copy sources): its #[proc_macro*] attributes renamed to rules_rustc_wasm_attrs's, which register the macros, and the key appended")
	fs.StringVar(&f.key, "key", "", "with --root: the `KEY` that ties the module to its shim (<crate>-<16 hex digits>)")
	fs.StringVar(&f.edition, "edition", "", "with --root: the crate's `EDITION`, 2015, 2018, 2021 or 2024 (what the appended key is written for)")
	fs.StringVar(&f.wasiGate, "wasi-gate-cfg", "", "rewrite every `target_os = \"wasi\"` of the sources into `all(target_os = \"wasi\", not(CFG))`, for crates that leave out proc_macro on WASI; the compile passes --cfg `CFG`")
	return fs
}

func macroSrcsMain(args []string, stderr io.Writer) int {
	var f macroSrcsFlags
	fs := newMacroSrcsFlagSet(&f, stderr)
	if code, ok := parseFlagsOnly(fs, args, stderr); !ok {
		return code
	}
	outs, err := macroSrcs(&f)
	if err == nil {
		// An output may not be a source (nor a parent of one): WriteAll
		// removes what is at an output's path.
		var inputs []action.FlagPath
		for _, c := range f.copies {
			src, _, _ := strings.Cut(c, "=")
			inputs = append(inputs, action.FlagPath{Flag: "--copy", Path: src})
		}
		err = action.WriteAll("", "macro-srcs", outs, inputs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "runner macro-srcs: %v\n", err)
		return exitFailure
	}
	return 0
}

// macroSrcs computes every output's content, by path.
func macroSrcs(f *macroSrcsFlags) (map[string][]byte, error) {
	if f.wasiGate != "" && !macrobuild.IsCfgName(f.wasiGate) {
		return nil, fmt.Errorf("--wasi-gate-cfg %q: want a cfg name", f.wasiGate)
	}
	if f.root != "" && (f.key == "" || f.edition == "") {
		return nil, errors.New("--root needs --key and --edition")
	}
	if f.edition != "" && f.root == "" {
		return nil, errors.New("--edition is for --root")
	}
	if f.edition != "" && !macrobuild.IsEdition(f.edition) {
		return nil, fmt.Errorf("--edition %q: want 2015, 2018, 2021 or 2024", f.edition)
	}
	outs := map[string][]byte{}
	rootSeen := false
	for _, c := range f.copies {
		src, dst, ok := strings.Cut(c, "=")
		if !ok || src == "" || dst == "" {
			return nil, fmt.Errorf("--copy %q: want SRC=DST", c)
		}
		if _, dup := outs[dst]; dup {
			return nil, fmt.Errorf("--copy %q: %s is written twice", c, dst)
		}
		text, err := os.ReadFile(src)
		if err != nil {
			return nil, fmt.Errorf("--copy %s: %w", src, err)
		}
		if f.wasiGate != "" {
			if text, err = macrobuild.WasiGate(text, f.wasiGate); err != nil {
				return nil, err
			}
		}
		if src == f.root {
			rootSeen = true
			renamed, err := macrobuild.RenameAttributes(src, text, f.key, f.edition)
			if err != nil {
				return nil, err
			}
			text = renamed
		}
		outs[dst] = text
	}
	if f.root != "" && !rootSeen {
		return nil, fmt.Errorf("--root %s is not one of the --copy sources", f.root)
	}
	return outs, nil
}
