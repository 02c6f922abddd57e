// Command rust_project writes rust-analyzer's rust-project.json for a
// Bazel workspace that uses rules_rustc_wasm.
//
//	bazel run @rules_rustc_wasm//tools:rust_project [-- [flags] [targets...]]
//
// It builds the targets (default //...) with rust_project_aspect and its
// rust_project output group, which writes one description per crate and
// builds the proc-macro dylibs and build-script outputs they name, finds
// the descriptions through the build's event file, merges them and writes
// rust-project.json at the workspace root (BUILD_WORKSPACE_DIRECTORY).
//
// With --check=FILE it only checks FILE against rust-analyzer's documented
// format and exits 1 naming every problem.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

const (
	defaultAspect = "@rules_rustc_wasm//rules/private:rust_project_aspect.bzl%rust_project_aspect"
	// In rules_rustc_wasm's own workspace: Bazel 4 loads a .bzl file named
	// through @rules_rustc_wasm apart from the rules' own, so the aspect
	// would not know their CrateInfo.
	selfAspect = "//rules/private:rust_project_aspect.bzl%rust_project_aspect"
)

var rulesWorkspace = regexp.MustCompile(`(?m)^\s*workspace\(\s*name\s*=\s*"rules_rustc_wasm"`)

// isRulesRepository reports whether the workspace is rules_rustc_wasm itself.
func isRulesRepository(workspace string) bool {
	for _, name := range []string{"WORKSPACE", "WORKSPACE.bazel"} {
		if data, err := os.ReadFile(filepath.Join(workspace, name)); err == nil && rulesWorkspace.Match(data) {
			return true
		}
	}
	return false
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, " ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "rust_project:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("rust_project", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `usage: bazel run @rules_rustc_wasm//tools:rust_project -- [flags] [targets...]

Writes rust-project.json for rust-analyzer at the workspace root, for the
crates of the targets (default //...) and every crate they depend on.

`)
		fs.PrintDefaults()
	}
	workspace := fs.String("workspace", os.Getenv("BUILD_WORKSPACE_DIRECTORY"), "the workspace to describe (default: BUILD_WORKSPACE_DIRECTORY, set by bazel run)")
	out := fs.String("out", "rust-project.json", "the file to write, relative to the workspace")
	bazel := fs.String("bazel", envOr("BAZEL", "bazel"), "the Bazel to run (default: $BAZEL, else bazel on PATH)")
	aspect := fs.String("aspect", defaultAspect, "the aspect that describes crates")
	sysroot := fs.String("sysroot", "", "the sysroot to write (default: `rustc --print sysroot` of the toolchain's native rustc; the toolchain's sysroot for rustc.wasm)")
	sysrootSrc := fs.String("sysroot-src", "", "the sources of std, core... (default: <sysroot>/lib/rustlib/src/rust/library when it exists)")
	check := fs.String("check", "", "only check this rust-project.json against rust-analyzer's format, and that its files exist")
	server := fs.String("proc-macro-server", "", "the proc-macro server executable (set by the rust_project target; relative to the runfiles)")
	printServer := fs.Bool("print-proc-macro-server", false, "print the absolute path of the proc-macro server to give rust-analyzer (rust-analyzer.procMacro.server, the CLI's --proc-macro-srv), and exit")
	var buildFlags multiFlag
	fs.Var(&buildFlags, "bazel-flag", "a flag for the bazel build (repeatable), such as --extra_toolchains=...")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *printServer {
		path, err := serverPath(*server)
		if err != nil {
			return err
		}
		fmt.Println(path)
		return nil
	}
	if *check != "" {
		if wd := os.Getenv("BUILD_WORKING_DIRECTORY"); wd != "" && !filepath.IsAbs(*check) {
			*check = filepath.Join(wd, *check) // bazel run runs us in the runfiles
		}
		data, err := os.ReadFile(*check)
		if err != nil {
			return err
		}
		if errs := Validate(data, ValidateOptions{FilesExist: true}); len(errs) > 0 {
			return fmt.Errorf("%s does not follow rust-analyzer's format:\n  %w", *check, errors.Join(errs...))
		}
		fmt.Fprintf(os.Stderr, "rust_project: %s follows rust-analyzer's format\n", *check)
		return nil
	}
	if *workspace == "" {
		return fmt.Errorf("no workspace: run it with `bazel run`, or pass --workspace")
	}
	aspectSet := false
	fs.Visit(func(f *flag.Flag) { aspectSet = aspectSet || f.Name == "aspect" })
	if !aspectSet && isRulesRepository(*workspace) {
		*aspect = selfAspect
	}
	targets := fs.Args()
	if len(targets) == 0 {
		targets = []string{"//..."}
	}

	bep, err := os.CreateTemp("", "rust_project_bep_*.json")
	if err != nil {
		return err
	}
	bep.Close()
	defer os.Remove(bep.Name())
	build := []string{"build", "--aspects=" + *aspect, "--output_groups=rust_project", "--build_event_json_file=" + bep.Name()}
	build = append(build, buildFlags...)
	build = append(append(build, "--"), targets...)
	cmd := exec.Command(*bazel, build...)
	cmd.Dir = *workspace
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	fmt.Fprintf(os.Stderr, "rust_project: %s %s\n", *bazel, strings.Join(build, " "))
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("bazel build failed: %w", err)
	}
	paths, err := bazelPaths(*bazel, *workspace)
	if err != nil {
		return err
	}
	files, err := descriptionFiles(bep.Name())
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("the build described no crate: do the targets (%s) contain rules_rustc_wasm crates, and is %s the aspect of the rules they use (--aspect)?", strings.Join(targets, " "), *aspect)
	}
	specs, err := readSpecs(files)
	if err != nil {
		return err
	}
	crates, err := Merge(specs, paths, readFile)
	if err != nil {
		return err
	}
	project := Project{Crates: crates}
	if err := findSysroot(&project, specs, paths, *sysroot, *sysrootSrc); err != nil {
		return err
	}
	data, err := json.MarshalIndent(project, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if errs := Validate(data, ValidateOptions{}); len(errs) > 0 {
		return fmt.Errorf("the generated file would not follow rust-analyzer's format (a bug):\n  %w", errors.Join(errs...))
	}
	dest := *out
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(*workspace, dest)
	}
	if err := writeAtomically(dest, data); err != nil {
		return err
	}
	members := 0
	for _, c := range crates {
		if c.IsWorkspaceMember {
			members++
		}
	}
	fmt.Fprintf(os.Stderr, "rust_project: wrote %s: %d crates (%d of the workspace)\n", dest, len(crates), members)
	return nil
}

// serverPath is the absolute path of the proc-macro server executable,
// through the runfiles' links to the file in bazel-out: it stays valid
// after this run, while the runfiles tree is Bazel's to replace.
func serverPath(server string) (string, error) {
	if server == "" {
		return "", errors.New("--print-proc-macro-server: no --proc-macro-server given: run it as bazel run @rules_rustc_wasm//tools:rust_project -- --print-proc-macro-server")
	}
	abs, err := filepath.Abs(server)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("the proc-macro server %s: %w", server, err)
	}
	if fi, err := os.Stat(real); err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("the proc-macro server %s is not an executable file", real)
	}
	return real, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// bazelPaths asks Bazel where the execution root and output base are.
func bazelPaths(bazel, workspace string) (Paths, error) {
	cmd := exec.Command(bazel, "info", "execution_root", "output_base")
	cmd.Dir = workspace
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return Paths{}, fmt.Errorf("bazel info: %w", err)
	}
	p := Paths{Workspace: workspace}
	for _, line := range strings.Split(string(out), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		switch k {
		case "execution_root":
			p.ExecRoot = strings.TrimSpace(v)
		case "output_base":
			p.OutputBase = strings.TrimSpace(v)
		}
	}
	if p.ExecRoot == "" || p.OutputBase == "" {
		return p, fmt.Errorf("bazel info gave no execution_root or output_base:\n%s", out)
	}
	return p, nil
}

// descriptionFiles lists the aspect's descriptions among the files of the
// build's event file (its namedSetOfFiles events).
func descriptionFiles(bepPath string) ([]string, error) {
	data, err := os.ReadFile(bepPath)
	if err != nil {
		return nil, err
	}
	return descriptionsInEvents(data)
}

func descriptionsInEvents(data []byte) ([]string, error) {
	type event struct {
		NamedSetOfFiles *struct {
			Files []struct {
				Name string `json:"name"`
				URI  string `json:"uri"`
			} `json:"files"`
		} `json:"namedSetOfFiles"`
	}
	seen := map[string]bool{}
	var files []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, fmt.Errorf("the build's event file: %w", err)
		}
		if ev.NamedSetOfFiles == nil {
			continue
		}
		for _, f := range ev.NamedSetOfFiles.Files {
			if !strings.HasSuffix(f.Name, ".rust_project.json") {
				continue
			}
			u, err := url.Parse(f.URI)
			if err != nil || u.Scheme != "file" {
				return nil, fmt.Errorf("the build's event file names %q, not a local file (a remote build without --remote_download_outputs=all?)", f.URI)
			}
			if !seen[u.Path] {
				seen[u.Path] = true
				files = append(files, u.Path)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	sort.Strings(files)
	return files, nil
}

func readSpecs(files []string) ([]*Spec, error) {
	var specs []*Spec
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		s, err := ParseSpec(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		specs = append(specs, s)
	}
	return specs, nil
}

// findSysroot fills in the sysroot and the sources of the standard
// library: given, or from the toolchain most crates were compiled with.
func findSysroot(p *Project, specs []*Spec, paths Paths, sysroot, src string) error {
	if sysroot == "" {
		tc, ok := mainToolchain(specs)
		switch {
		case !ok:
		case tc.RustcIsWasm:
			// rustc.wasm cannot be asked; the toolchain's sysroot is a
			// directory of the build.
			if d, err := filepath.EvalSymlinks(paths.Exec(tc.Sysroot)); err == nil {
				sysroot = d
			}
		default:
			rustc := paths.Exec(tc.Rustc)
			out, err := exec.Command(rustc, "--print", "sysroot").Output()
			if err != nil {
				return fmt.Errorf("%s --print sysroot: %w (pass --sysroot)", rustc, err)
			}
			sysroot = strings.TrimSpace(string(out))
		}
	}
	if sysroot == "" {
		return nil
	}
	p.Sysroot = sysroot
	if src == "" {
		src = filepath.Join(sysroot, "lib", "rustlib", "src", "rust", "library")
		if !isDir(src) {
			fmt.Fprintf(os.Stderr, "rust_project: warning: %s does not exist: rust-analyzer will not know std and core. Install the standard library's sources (Debian: apt-get install rust-src; rustup: rustup component add rust-src) or pass --sysroot-src\n", src)
			return nil
		}
	}
	p.SysrootSrc = src
	return nil
}

// mainToolchain is the toolchain of most crates.
func mainToolchain(specs []*Spec) (Toolchain, bool) {
	count := map[Toolchain]int{}
	var best Toolchain
	for _, s := range specs {
		count[s.Toolchain]++
		if count[s.Toolchain] > count[best] {
			best = s.Toolchain
		}
	}
	return best, len(specs) > 0
}

// writeAtomically writes data to dest through a temporary file in its
// directory, so that an editor never reads half a file.
func writeAtomically(dest string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dest)
}
