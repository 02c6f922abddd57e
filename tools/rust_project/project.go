package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/procmacrosrv/macroview"
)

// specFormat is the aspect's description format (rust_project_aspect.bzl's _FORMAT).
const specFormat = 1

// Spec is one crate as rust_project_aspect.bzl describes it: paths are
// relative to the execution root (see File), ids are "label configuration".
type Spec struct {
	Format        int    `json:"format"`
	ID            string `json:"id"`
	Label         string `json:"label"`
	Configuration string `json:"configuration"`
	Kind          string `json:"kind"`
	CrateName     string `json:"crate_name"`
	CrateType     string `json:"crate_type"`
	Edition       string `json:"edition"`
	Version       string `json:"version"`
	Root          File   `json:"root"`
	Srcs          []File `json:"srcs"`
	// CompileData are the crate's compile_data, which its macros may read
	// in the build (and so in the editor, through the macro view).
	CompileData       []File            `json:"compile_data"`
	PackageDir        string            `json:"package_dir"`
	IsWorkspaceMember bool              `json:"is_workspace_member"`
	Deps              []SpecDep         `json:"deps"`
	Cfg               []string          `json:"cfg"`
	Env               map[string]string `json:"env"`
	BuildScript       *BuildScript      `json:"build_script"`
	ProcMacroDylib    string            `json:"proc_macro_dylib"`
	Target            string            `json:"target"`
	Toolchain         Toolchain         `json:"toolchain"`
}

// File is a file of the build as the aspect names it.
type File struct {
	Path     string `json:"path"`      // File.path: relative to the execution root
	Source   bool   `json:"source"`    // a source file (else generated, under bazel-out)
	MainRepo bool   `json:"main_repo"` // owned by the main repository
}

// SpecDep is a direct dependency under the name the crate uses for it.
type SpecDep struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// BuildScript names what a crate's cargo_build_script produced.
type BuildScript struct {
	OutDir string `json:"out_dir"`
	Flags  string `json:"flags"` // rustc arguments, one a line (--cfg=...)
	Env    string `json:"env"`   // NAME=VALUE lines
}

// Toolchain is what the crate was compiled with.
type Toolchain struct {
	Rustc         string `json:"rustc"`
	RustcIsWasm   bool   `json:"rustc_is_wasm"`
	Sysroot       string `json:"sysroot"`
	ProcMacroKind string `json:"proc_macro_kind"`
}

// Project is rust-analyzer's rust-project.json.
type Project struct {
	Sysroot    string  `json:"sysroot,omitempty"`
	SysrootSrc string  `json:"sysroot_src,omitempty"`
	Crates     []Crate `json:"crates"`
}

// Crate is one crate of rust-project.json.
type Crate struct {
	DisplayName        string            `json:"display_name"`
	RootModule         string            `json:"root_module"`
	Edition            string            `json:"edition"`
	Deps               []Dep             `json:"deps"`
	IsWorkspaceMember  bool              `json:"is_workspace_member"`
	Source             *Source           `json:"source,omitempty"`
	Cfg                []string          `json:"cfg"`
	Target             string            `json:"target,omitempty"`
	Env                map[string]string `json:"env"`
	IsProcMacro        bool              `json:"is_proc_macro"`
	ProcMacroDylibPath string            `json:"proc_macro_dylib_path,omitempty"`
}

// Dep is a dependency: an index into crates and the name the crate uses.
type Dep struct {
	Crate int    `json:"crate"`
	Name  string `json:"name"`
}

// Source says which directories hold the crate's files.
type Source struct {
	IncludeDirs []string `json:"include_dirs"`
	ExcludeDirs []string `json:"exclude_dirs"`
}

// Paths turns the aspect's execroot-relative paths into absolute ones.
type Paths struct {
	Workspace  string // BUILD_WORKSPACE_DIRECTORY: the main repository's sources
	ExecRoot   string // bazel info execution_root: generated files
	OutputBase string // bazel info output_base: external repositories' sources
}

// File resolves a file of the build: main-repository sources under the
// workspace, other sources under the output base's external/, generated
// files under the execution root.
func (p Paths) File(f File) string {
	if !f.Source {
		return p.Exec(f.Path)
	}
	switch {
	case strings.HasPrefix(f.Path, "external/"):
		return filepath.Join(p.OutputBase, f.Path)
	case strings.HasPrefix(f.Path, "../"): // the sibling repository layout
		return filepath.Join(p.OutputBase, "external", f.Path[len("../"):])
	}
	return filepath.Join(p.Workspace, f.Path)
}

// Exec resolves a path relative to the execution root.
func (p Paths) Exec(path string) string {
	if path == "" {
		return ""
	}
	return filepath.Join(p.ExecRoot, path)
}

// Package resolves a package directory ("" is the workspace root).
func (p Paths) Package(dir string) string {
	return p.File(File{Path: dir, Source: true})
}

// ParseSpec reads one description written by the aspect.
func ParseSpec(data []byte) (*Spec, error) {
	var s Spec
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&s); err != nil {
		return nil, err
	}
	if s.Format != specFormat {
		return nil, fmt.Errorf("description format %d, this tool reads %d: the aspect and the tool come from different versions of rules_rustc_wasm", s.Format, specFormat)
	}
	if s.ID == "" || s.Root.Path == "" || s.CrateName == "" {
		return nil, fmt.Errorf("description lacks id, root or crate_name")
	}
	return &s, nil
}

// Reader reads the files build scripts wrote (tests replace it).
type Reader func(path string) ([]byte, error)

// crateNode is a crate being merged: its description resolved to
// rust-project.json terms, with its dependencies by id.
type crateNode struct {
	spec  *Spec
	crate Crate
	deps  []SpecDep
	key   string // set by canonical(): equal keys mean interchangeable crates
}

// Merge turns the aspect's descriptions into rust-project.json's crates.
//
// Crates are identified by label and configuration, so one description per
// id is kept. A crate built in several configurations in the same way
// (same root, cfgs, env, target, and dependencies that are themselves the
// same) is one crate for rust-analyzer: those are merged, keeping the
// first proc-macro dylib. Crates are sorted by label, then configuration,
// and dependencies become indices. A dependency whose description is
// missing is an error.
func Merge(specs []*Spec, paths Paths, read Reader) ([]Crate, error) {
	byID := map[string]*crateNode{}
	var ids []string
	for _, s := range specs {
		if _, ok := byID[s.ID]; ok {
			continue
		}
		c, err := resolve(s, paths, read)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Label, err)
		}
		byID[s.ID] = &crateNode{spec: s, crate: c, deps: s.Deps}
		ids = append(ids, s.ID)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := byID[ids[i]].spec, byID[ids[j]].spec
		if a.IsWorkspaceMember != b.IsWorkspaceMember {
			return a.IsWorkspaceMember
		}
		if a.Label != b.Label {
			return a.Label < b.Label
		}
		return a.Configuration < b.Configuration
	})
	for _, id := range ids {
		for _, d := range byID[id].deps {
			if byID[d.ID] == nil {
				return nil, fmt.Errorf("%s depends on %s, which has no description", byID[id].spec.Label, d.ID)
			}
		}
	}
	for _, id := range ids {
		if _, err := canonical(byID, id, map[string]bool{}); err != nil {
			return nil, err
		}
	}

	// One crate per key, in the order of the first id that has it.
	index := map[string]int{}
	var crates []Crate
	for _, id := range ids {
		n := byID[id]
		if i, ok := index[n.key]; ok {
			if crates[i].ProcMacroDylibPath == "" {
				crates[i].ProcMacroDylibPath = n.crate.ProcMacroDylibPath
			}
			continue
		}
		index[n.key] = len(crates)
		crates = append(crates, n.crate)
	}
	for _, id := range ids {
		n := byID[id]
		i := index[n.key]
		if crates[i].Deps != nil {
			continue
		}
		deps := []Dep{}
		seen := map[Dep]bool{}
		for _, d := range n.deps {
			dep := Dep{Crate: index[byID[d.ID].key], Name: d.Name}
			if dep.Crate == i || seen[dep] {
				continue
			}
			seen[dep] = true
			deps = append(deps, dep)
		}
		crates[i].Deps = deps
	}
	return crates, nil
}

// canonical gives a crate the key that says which crates are the same
// crate for rust-analyzer: everything but its configuration and its
// proc-macro dylib, with its dependencies' keys.
func canonical(byID map[string]*crateNode, id string, visiting map[string]bool) (string, error) {
	n := byID[id]
	if n.key != "" {
		return n.key, nil
	}
	if visiting[id] {
		return "", fmt.Errorf("dependency cycle through %s", n.spec.Label)
	}
	visiting[id] = true
	defer delete(visiting, id)
	c := n.crate
	c.ProcMacroDylibPath = ""
	c.Deps = nil
	var deps []string
	for _, d := range n.deps {
		k, err := canonical(byID, d.ID, visiting)
		if err != nil {
			return "", err
		}
		deps = append(deps, d.Name+"="+k)
	}
	b, err := json.Marshal(struct {
		Label string
		Crate Crate
		Deps  []string
	}{n.spec.Label, c, deps})
	if err != nil {
		return "", err
	}
	n.key = string(b)
	return n.key, nil
}

// resolve turns a description into a crate of rust-project.json, without
// its dependencies: absolute paths, the build script's cfgs and env.
func resolve(s *Spec, paths Paths, read Reader) (Crate, error) {
	root := paths.File(s.Root)
	c := Crate{
		DisplayName:       s.CrateName,
		RootModule:        root,
		Edition:           s.Edition,
		IsWorkspaceMember: s.IsWorkspaceMember,
		Cfg:               append([]string{}, s.Cfg...),
		Target:            s.Target,
		Env:               map[string]string{},
		IsProcMacro:       s.CrateType == "proc-macro",
	}
	if s.ProcMacroDylib != "" && c.IsProcMacro {
		c.ProcMacroDylibPath = paths.Exec(s.ProcMacroDylib)
	}
	for k, v := range s.Env {
		c.Env[k] = v
	}
	if s.Version != "" {
		c.Env["CARGO_MANIFEST_DIR"] = paths.Package(s.PackageDir)
	}

	// The crate's files: the root's directory, and the directory holding
	// all of its sources when some lie elsewhere.
	include := []string{filepath.Dir(root)}
	srcDirs := []string{}
	for _, f := range s.Srcs {
		srcDirs = append(srcDirs, filepath.Dir(paths.File(f)))
	}
	if common := commonDir(srcDirs); common != "" && !hostpath.Below(common, include[0]) {
		include = []string{common}
		if !hostpath.Below(root, common) {
			include = append(include, filepath.Dir(root))
		}
	}
	var scriptEnv map[string]string
	if bs := s.BuildScript; bs != nil {
		outDir := paths.Exec(bs.OutDir)
		c.Env["OUT_DIR"] = outDir
		include = append(include, outDir)
		if bs.Flags != "" {
			data, err := read(paths.Exec(bs.Flags))
			if err != nil {
				return c, fmt.Errorf("its build script's flags: %w", err)
			}
			c.Cfg = append(c.Cfg, buildScriptCfgs(data)...)
		}
		if bs.Env != "" {
			data, err := read(paths.Exec(bs.Env))
			if err != nil {
				return c, fmt.Errorf("its build script's env: %w", err)
			}
			scriptEnv = buildScriptEnv(data)
			for k, v := range scriptEnv {
				if strings.HasPrefix(v, "bazel-out/") {
					v = paths.Exec(v)
				}
				c.Env[k] = v
			}
		}
	}
	c.Source = &Source{IncludeDirs: include, ExcludeDirs: []string{}}
	c.Cfg = sortedUnique(c.Cfg)
	c.Env[macroview.EnvVar] = macroView(s, paths, scriptEnv).Encode()
	return c, nil
}

// buildScriptCfgs reads the cfgs of a build script's flags file
// (`--cfg=NAME` or `--cfg=KEY="VALUE"` lines; other flags are ignored).
func buildScriptCfgs(data []byte) []string {
	var cfgs []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if cfg, ok := strings.CutPrefix(line, "--cfg="); ok && cfg != "" {
			cfgs = append(cfgs, cfg)
		}
	}
	return cfgs
}

// buildScriptEnv reads a build script's env file (NAME=VALUE lines).
func buildScriptEnv(data []byte) map[string]string {
	env := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok && k != "" {
			env[k] = v
		}
	}
	return env
}

func sortedUnique(s []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// commonDir is the deepest directory holding all of dirs ("" for none).
func commonDir(dirs []string) string {
	if len(dirs) == 0 {
		return ""
	}
	common := dirs[0]
	for _, d := range dirs[1:] {
		for !hostpath.Below(d, common) {
			parent := filepath.Dir(common)
			if parent == common {
				return common
			}
			common = parent
		}
	}
	return common
}

// readFile is the Reader of real builds.
func readFile(path string) ([]byte, error) { return os.ReadFile(path) }
