package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// crate is one package version of the dependency graph that gets a repository.
type crate struct {
	pkg         *cargoPackage
	repo        string       // <prefix>__<name>-<version>
	lib         *cargoTarget // the lib or proc-macro target
	libName     string       // its crate name (`-` -> `_`)
	procMacro   bool
	buildScript *cargoTarget // nil when there is none
	dir         string       // directory of its Cargo.toml
	features    []string     // unified by cargo
	deps        []depRef     // normal dependencies
	buildDeps   []depRef     // build-dependencies
	ov          *override    // effective override, or nil

	// Where the repository takes the source from: path, or urls+sha256.
	path   string
	url    string
	sha256 string
}

// depRef is an edge to a dependency, with the name the depending crate
// uses for it in Rust code.
type depRef struct {
	c      *crate
	extern string
}

func (c *crate) label() string { return "@" + c.repo + "//:" + c.libName }

func (c *crate) edition(t *cargoTarget) string {
	if t.Edition != "" {
		return t.Edition
	}
	if c.pkg.Edition != "" {
		return c.pkg.Edition
	}
	return "2015"
}

// graph is what the generated files are made from.
type graph struct {
	crates  []*crate // sorted by repository name
	aliases []alias  // sorted by name
}

type alias struct{ name, actual string }

// edge is one filtered resolve dependency.
type edge struct {
	pkg           string
	extern        string
	normal, build bool
}

func generate(o *options) (map[string][]byte, int, error) {
	g, err := buildGraph(o)
	if err != nil {
		return nil, 0, err
	}
	files, err := render(o, g)
	if err != nil {
		return nil, 0, err
	}
	return files, len(g.crates), nil
}

func buildGraph(o *options) (*graph, error) {
	md, lockfile, err := resolve(o)
	if err != nil {
		return nil, err
	}
	sums, err := readLockChecksums(lockfile)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %v", lockfile, err)
	}
	return graphFrom(o, md, lockfile, sums)
}

// graphFrom makes the graph from cargo's metadata and the checksums of
// Cargo.lock (at lockfile); every value that will be written is checked
// (checkCrate).
func graphFrom(o *options, md *metadata, lockfile string, sums map[string]string) (*graph, error) {
	if md.Resolve == nil {
		return nil, fmt.Errorf("%s metadata gave no dependency graph", o.cargo)
	}
	pkgs := map[string]*cargoPackage{}
	for _, p := range md.Packages {
		pkgs[p.ID] = p
	}
	nodes := map[string]*resolveNode{}
	for _, n := range md.Resolve.Nodes {
		nodes[n.ID] = n
	}
	members := map[string]*cargoPackage{}
	for _, id := range md.WorkspaceMembers {
		if pkgs[id] == nil {
			return nil, fmt.Errorf("cargo metadata: workspace member %q has no package entry", id)
		}
		members[id] = pkgs[id]
	}

	edgesOf := func(id string) ([]edge, error) {
		n := nodes[id]
		if n == nil {
			return nil, fmt.Errorf("cargo metadata: %q is not in the resolve graph", id)
		}
		var out []edge
		for _, d := range n.Deps {
			e := edge{pkg: d.Pkg, extern: d.Name}
			for _, k := range d.DepKinds {
				if k.Target != nil {
					ok, err := targetApplies(*k.Target)
					if err != nil {
						return nil, fmt.Errorf("%s: dependency %s: %v", pkgs[id].Name, d.Name, err)
					}
					if !ok {
						continue
					}
				}
				switch {
				case k.Kind == nil:
					e.normal = true
				case *k.Kind == "build":
					e.build = true
				}
			}
			if len(d.DepKinds) == 0 { // cargo older than 1.41 has no dep_kinds
				e.normal = true
			}
			if e.normal || e.build {
				out = append(out, e)
			}
		}
		return out, nil
	}

	// Walk the graph from the members over normal and build edges.
	crates := map[string]*crate{}
	var queue []string
	for _, id := range md.WorkspaceMembers {
		queue = append(queue, id)
	}
	seen := map[string]bool{}
	edges := map[string][]edge{}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if seen[id] {
			continue
		}
		seen[id] = true
		es, err := edgesOf(id)
		if err != nil {
			return nil, err
		}
		edges[id] = es
		if members[id] == nil {
			c, err := newCrate(o, pkgs[id], nodes[id], sums)
			if err != nil {
				return nil, err
			}
			crates[id] = c
		}
		for _, e := range es {
			queue = append(queue, e.pkg)
		}
	}
	for id, c := range crates {
		for _, e := range edges[id] {
			d := crates[e.pkg]
			if d == nil {
				return nil, fmt.Errorf("%s %s depends on workspace member %s, which is not supported", c.pkg.Name, c.pkg.Version, pkgs[e.pkg].Name)
			}
			if d.lib == nil {
				return nil, fmt.Errorf("%s %s depends on %s %s, which has no library target", c.pkg.Name, c.pkg.Version, d.pkg.Name, d.pkg.Version)
			}
			ref := depRef{c: d, extern: e.extern}
			if e.normal {
				c.deps = append(c.deps, ref)
			}
			if e.build {
				c.buildDeps = append(c.buildDeps, ref)
			}
		}
	}

	g := &graph{}
	for _, c := range crates {
		g.crates = append(g.crates, c)
	}
	sort.Slice(g.crates, func(i, j int) bool { return g.crates[i].repo < g.crates[j].repo })
	for i := 1; i < len(g.crates); i++ {
		if g.crates[i].repo == g.crates[i-1].repo {
			return nil, fmt.Errorf("two packages map to repository %s: %s and %s", g.crates[i].repo, g.crates[i-1].pkg.ID, g.crates[i].pkg.ID)
		}
	}

	if err := applyOverrides(md, members, g.crates); err != nil {
		return nil, err
	}
	for _, c := range g.crates {
		if err := checkCrate(c, lockfile); err != nil {
			return nil, err
		}
	}

	// One alias per normal dependency of a member, named as in Cargo.toml.
	byName := map[string]map[string]*crate{}
	for _, id := range sortedKeys(members) {
		m := members[id]
		for _, e := range edges[id] {
			c := crates[e.pkg]
			if !e.normal || c == nil || c.lib == nil {
				continue
			}
			name := c.pkg.Name
			if e.extern != c.libName {
				name = e.extern
				for _, d := range m.Dependencies {
					if d.Rename != nil && strings.ReplaceAll(*d.Rename, "-", "_") == e.extern {
						name = *d.Rename
					}
				}
			}
			if byName[name] == nil {
				byName[name] = map[string]*crate{}
			}
			byName[name][c.repo] = c
		}
	}
	for name, cs := range byName {
		if err := checkAlias(name, members); err != nil {
			return nil, err
		}
		for _, c := range cs {
			n := name
			if len(cs) > 1 { // members disagree on the version: name both
				n = name + "-" + c.pkg.Version
			}
			g.aliases = append(g.aliases, alias{name: n, actual: c.label()})
		}
	}
	sort.Slice(g.aliases, func(i, j int) bool { return g.aliases[i].name < g.aliases[j].name })
	return g, nil
}

func newCrate(o *options, p *cargoPackage, n *resolveNode, sums map[string]string) (*crate, error) {
	c := &crate{
		pkg:      p,
		repo:     o.repoPrefix + "__" + sanitizeRepo(p.Name+"-"+p.Version),
		dir:      filepath.Dir(p.ManifestPath),
		features: append([]string(nil), n.Features...),
	}
	for _, t := range p.Targets {
		switch {
		case t.is("proc-macro"):
			c.lib, c.procMacro = t, true
		case t.is("lib", "rlib", "dylib"):
			if c.lib == nil {
				c.lib = t
			}
		case t.is("custom-build"):
			c.buildScript = t
		}
	}
	if c.lib != nil {
		c.libName = strings.ReplaceAll(c.lib.Name, "-", "_")
	}

	source := ""
	if p.Source != nil {
		source = *p.Source
	}
	registry := strings.HasPrefix(source, "registry+") || strings.HasPrefix(source, "sparse+")
	sum := sums[p.Name+" "+p.Version]
	_, inSources := within(o.sources, c.dir)
	switch {
	case registry && sum != "" && (o.download || !inSources):
		c.url = strings.NewReplacer("{name}", p.Name, "{version}", p.Version).Replace(o.urlTemplate)
		c.sha256 = sum
	case inSources || source == "":
		if rel, ok := within(o.root, c.dir); ok {
			if rel == "" {
				rel = "."
			}
			c.path = rel
		} else {
			c.path = c.dir
		}
	case registry:
		return nil, fmt.Errorf("%s %s is neither in --sources=%s nor has a checksum in Cargo.lock to download it by", p.Name, p.Version, o.sources)
	default:
		return nil, fmt.Errorf("%s %s comes from %s: only crates.io crates (through --sources or by URL) and path dependencies are supported", p.Name, p.Version, source)
	}
	return c, nil
}

func sanitizeRepo(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' {
			return r
		}
		return '_'
	}, s)
}

// applyOverrides gives each crate its effective override: the built-in
// default for its name, with the keys the user set replacing it.
func applyOverrides(md *metadata, members map[string]*cargoPackage, crates []*crate) error {
	user, err := readOverrides(md, members)
	if err != nil {
		return err
	}
	inGraph := map[string]bool{}
	for _, c := range crates {
		inGraph[c.pkg.Name] = true
	}
	var unknown []string
	for name, u := range user {
		if !inGraph[name] {
			unknown = append(unknown, fmt.Sprintf("%q (in %s)", name, u.origin))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("override for a crate that is not in the dependency graph: %s", strings.Join(unknown, ", "))
	}
	defaults := defaultOverrides()
	for _, c := range crates {
		var eff *override
		if d := defaults[c.pkg.Name]; d != nil {
			eff = &override{}
			eff.merge(d)
		}
		if u := user[c.pkg.Name]; u != nil {
			if eff == nil {
				eff = &override{}
			}
			eff.merge(u)
			if c.buildScript == nil && (u.BuildScriptEnv != nil || u.WasmFlavourCfgs != nil || u.SkipBuildScript != nil) {
				return fmt.Errorf("%s: %s %s has no build script, so build_script_env, wasm_flavour_cfgs and skip_build_script mean nothing for it",
					u.origin, c.pkg.Name, c.pkg.Version)
			}
			if u.skipBuildScript() && (u.BuildScriptEnv != nil || u.WasmFlavourCfgs != nil) {
				return fmt.Errorf("%s: skip_build_script = true leaves no build script for build_script_env or wasm_flavour_cfgs; use cfgs and rustc_env instead", u.origin)
			}
		}
		c.ov = eff
	}
	return nil
}

// generatedBy is how every generated file starts, after "# " or `"""`;
// files of the tool's earlier name, //crates:vendor, start with
// generatedByVendor, and are replaced too.
const (
	generatedBy       = "Generated by @rules_rustc_wasm//crates:generate"
	generatedByVendor = "Generated by @rules_rustc_wasm//crates:vendor"
)

// checkOwnFiles refuses to replace a file that the generator did not write: a
// BUILD.bazel, crates.bzl or extensions.bzl of the user's own in --out, or
// a BUILD file there, which the generated BUILD.bazel would hide from
// Bazel.
func checkOwnFiles(dir, display string, files map[string][]byte) error {
	for _, name := range sortedKeys(files) {
		have, err := os.ReadFile(filepath.Join(dir, name))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		first, _, _ := strings.Cut(string(have), "\n")
		if ours := func(by string) bool { return strings.HasPrefix(first, "# "+by) || strings.HasPrefix(first, `"""`+by) }; !ours(generatedBy) && !ours(generatedByVendor) {
			return fmt.Errorf("--out=%s: %s exists and was not written by @rules_rustc_wasm//crates:generate (its first line is not %q); move it away or choose another --out",
				display, name, "# "+generatedBy+" ...")
		}
	}
	if _, ok := files["BUILD.bazel"]; ok {
		if _, err := os.Stat(filepath.Join(dir, "BUILD")); err == nil {
			return fmt.Errorf("--out=%s: the package has a BUILD file of its own, which the generated BUILD.bazel would replace for Bazel; choose another --out", display)
		}
	}
	return nil
}

// checkFiles compares files with what is on disk and returns one line per
// file that differs.
func checkFiles(dir, display string, files map[string][]byte) []string {
	var bad []string
	for _, name := range sortedKeys(files) {
		have, err := os.ReadFile(filepath.Join(dir, name))
		switch {
		case os.IsNotExist(err):
			bad = append(bad, "missing: "+filepath.Join(display, name))
		case err != nil:
			bad = append(bad, fmt.Sprintf("unreadable: %s: %v", filepath.Join(display, name), err))
		case string(have) != string(files[name]):
			bad = append(bad, "stale: "+filepath.Join(display, name))
		}
	}
	return bad
}

// writeFiles writes every changed file under a temporary name first and then
// renames them all into place, so an error leaves no half-written file.
func writeFiles(dir string, files map[string][]byte) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, err
	}
	type pending struct{ tmp, dst string }
	var todo []pending
	cleanup := func() {
		for _, p := range todo {
			os.Remove(p.tmp)
		}
	}
	for _, name := range sortedKeys(files) {
		dst := filepath.Join(dir, name)
		if have, err := os.ReadFile(dst); err == nil && string(have) == string(files[name]) {
			continue
		}
		f, err := os.CreateTemp(dir, "."+name+".tmp*")
		if err != nil {
			cleanup()
			return 0, err
		}
		todo = append(todo, pending{f.Name(), dst})
		_, err = f.Write(files[name])
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(f.Name(), 0o644)
		}
		if err != nil {
			cleanup()
			return 0, err
		}
	}
	for i, p := range todo {
		if err := os.Rename(p.tmp, p.dst); err != nil {
			for _, q := range todo[i:] {
				os.Remove(q.tmp)
			}
			return i, err
		}
	}
	return len(todo), nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
