// Command generate turns a Cargo.toml (and its Cargo.lock) into Bazel targets
// for rules_rustc_wasm: one repository per third-party crate, described in a
// generated crates.bzl, plus an alias per direct dependency.
//
//	bazel run @rules_rustc_wasm//crates:generate -- \
//	    --manifest=third_party/Cargo.toml --sources=/usr/share/cargo/registry --out=third_party/crates
//
// Resolution is cargo's own (`cargo metadata`, offline, against the directory
// of crate sources given by --sources). See README.md in this directory.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// options are the parsed command-line flags, with paths made absolute.
type options struct {
	manifest    string // absolute path of Cargo.toml
	sources     string // absolute, symlinks resolved
	out         string // absolute output directory
	outPkg      string // Bazel package of out ("" for the workspace root)
	root        string // absolute workspace root, symlinks resolved
	cargo       string
	repoPrefix  string
	urlTemplate string
	download    bool
	check       bool
}

// usageError marks errors about the command line itself.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(stderr, "generate: %v\n", err)
		return 2
	}
	files, repos, err := generate(opts)
	if err == nil {
		err = checkOwnFiles(opts.out, displayPkg(opts.outPkg), files)
	}
	if err != nil {
		fmt.Fprintf(stderr, "generate: %v\n", err)
		return 1
	}
	if opts.check {
		display := opts.outPkg
		if display == "" {
			display = "."
		}
		stale := checkFiles(opts.out, display, files)
		if len(stale) > 0 {
			for _, s := range stale {
				fmt.Fprintf(stderr, "generate: %s\n", s)
			}
			fmt.Fprintf(stderr, "generate: %d generated file(s) out of date; rerun without --check\n", len(stale))
			return 1
		}
		fmt.Fprintf(stdout, "generate: %s is up to date (%d crates)\n", displayPkg(opts.outPkg), repos)
		return 0
	}
	changed, err := writeFiles(opts.out, files)
	if err != nil {
		fmt.Fprintf(stderr, "generate: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "generate: wrote %d crates into %s (%d file(s) changed)\n", repos, displayPkg(opts.outPkg), changed)
	return 0
}

func displayPkg(pkg string) string { return "//" + pkg }

// DefaultDownloadURLTemplate is where cargo itself downloads a crates.io
// crate: the "dl" of the crates.io index's config.json. (The API's
// /api/v1/crates/{name}/{version}/download only redirects there, and does
// not answer on machines that reach the registry through a mirror of its
// files.)
const DefaultDownloadURLTemplate = "https://static.crates.io/crates/{name}/{name}-{version}.crate"

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	manifest := fs.String("manifest", "", "path of the Cargo.toml to resolve (required)")
	sources := fs.String("sources", "", "directory of unpacked crate sources, a cargo directory source such as /usr/share/cargo/registry or `cargo vendor` output (required)")
	out := fs.String("out", "", "workspace package to write BUILD.bazel, crates.bzl and extensions.bzl into (required)")
	cargo := fs.String("cargo", "cargo", "cargo binary")
	prefix := fs.String("repo-prefix", "crates", "prefix of the generated repository names: <prefix>__<name>-<version>")
	tmpl := fs.String("download-url-template", DefaultDownloadURLTemplate, "URL of a crate archive; {name} and {version} are substituted")
	download := fs.Bool("download", false, "declare every registry crate with a Cargo.lock checksum by URL, even when its source is in --sources")
	check := fs.Bool("check", false, "write nothing; exit non-zero naming each generated file that is stale or missing")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("unexpected argument %q (flags are --name=value)", fs.Arg(0))}
	}
	if *manifest == "" {
		return nil, usageError{"--manifest is required: the path of a Cargo.toml"}
	}
	if *sources == "" {
		return nil, usageError{"--sources is required: a directory of unpacked crate sources (e.g. /usr/share/cargo/registry)"}
	}
	if *out == "" {
		return nil, usageError{"--out is required: the workspace package to write into"}
	}
	if !validRepoPrefix(*prefix) {
		return nil, usageError{fmt.Sprintf("--repo-prefix=%q: must start with a letter and contain only letters, digits, '_', '-' and '.'", *prefix)}
	}
	if !strings.Contains(*tmpl, "{name}") || !strings.Contains(*tmpl, "{version}") {
		return nil, usageError{fmt.Sprintf("--download-url-template=%q must contain {name} and {version}", *tmpl)}
	}

	root, base, err := workspaceRoot(getenv)
	if err != nil {
		return nil, err
	}
	o := &options{cargo: *cargo, repoPrefix: *prefix, urlTemplate: *tmpl, download: *download, check: *check, root: root}

	o.manifest = absFrom(base, *manifest)
	if st, err := os.Stat(o.manifest); err != nil {
		return nil, usageError{fmt.Sprintf("--manifest=%s: %v", *manifest, unwrapPathError(err))}
	} else if st.IsDir() {
		return nil, usageError{fmt.Sprintf("--manifest=%s is a directory; name the Cargo.toml", *manifest)}
	}
	if o.manifest, err = filepath.EvalSymlinks(o.manifest); err != nil {
		return nil, usageError{fmt.Sprintf("--manifest=%s: %v", *manifest, err)}
	}

	o.sources = absFrom(base, *sources)
	if st, err := os.Stat(o.sources); err != nil {
		return nil, usageError{fmt.Sprintf("--sources=%s: %v", *sources, unwrapPathError(err))}
	} else if !st.IsDir() {
		return nil, usageError{fmt.Sprintf("--sources=%s is not a directory", *sources)}
	}
	if o.sources, err = filepath.EvalSymlinks(o.sources); err != nil {
		return nil, usageError{fmt.Sprintf("--sources=%s: %v", *sources, err)}
	}

	o.out = hostpath.ResolveExisting(absFrom(base, *out))
	rel, ok := within(root, o.out)
	if !ok {
		return nil, usageError{fmt.Sprintf("--out=%s is outside the workspace %s; it must name a package inside it", *out, root)}
	}
	o.outPkg = rel
	return o, nil
}

func validRepoPrefix(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// workspaceRoot returns the workspace root and the directory relative paths
// are resolved against: BUILD_WORKSPACE_DIRECTORY for both under `bazel run`,
// otherwise the nearest enclosing directory with a WORKSPACE or MODULE.bazel
// file and the current directory.
func workspaceRoot(getenv func(string) string) (root, base string, err error) {
	if d := getenv("BUILD_WORKSPACE_DIRECTORY"); d != "" {
		r, err := filepath.EvalSymlinks(d)
		if err != nil {
			return "", "", fmt.Errorf("BUILD_WORKSPACE_DIRECTORY=%s: %v", d, err)
		}
		return r, d, nil
	}
	cwd, err := os.Getwd()
	if err != nil {
		return "", "", err
	}
	r, err := filepath.EvalSymlinks(cwd)
	if err != nil {
		return "", "", err
	}
	for d := r; ; d = filepath.Dir(d) {
		for _, marker := range []string{"MODULE.bazel", "WORKSPACE", "WORKSPACE.bazel", "REPO.bazel"} {
			if _, err := os.Stat(filepath.Join(d, marker)); err == nil {
				return d, cwd, nil
			}
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", "", usageError{fmt.Sprintf("%s is not inside a Bazel workspace (no WORKSPACE or MODULE.bazel above it); run with `bazel run` or from the workspace", cwd)}
}

func absFrom(base, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}

// within reports whether p is dir or inside it, and p relative to dir
// (slash-separated, "" for dir itself).
func within(dir, p string) (string, bool) {
	if !hostpath.Below(p, dir) {
		return "", false
	}
	rel, _ := filepath.Rel(dir, p)
	if rel == "." {
		return "", true
	}
	return filepath.ToSlash(rel), true
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
