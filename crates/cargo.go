package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// metadata is the part of `cargo metadata --format-version 1` this program reads.
type metadata struct {
	Packages         []*cargoPackage `json:"packages"`
	WorkspaceMembers []string        `json:"workspace_members"`
	WorkspaceRoot    string          `json:"workspace_root"`
	Metadata         json.RawMessage `json:"metadata"` // [workspace.metadata]
	Resolve          *struct {
		Nodes []*resolveNode `json:"nodes"`
	} `json:"resolve"`
}

type cargoPackage struct {
	Name         string  `json:"name"`
	Version      string  `json:"version"`
	ID           string  `json:"id"`
	Source       *string `json:"source"`
	Edition      string  `json:"edition"`
	Links        *string `json:"links"`
	ManifestPath string  `json:"manifest_path"`
	// The [package] fields Cargo gives the compile as CARGO_PKG_*.
	Authors      []string        `json:"authors"`
	Description  *string         `json:"description"`
	Homepage     *string         `json:"homepage"`
	License      *string         `json:"license"`
	LicenseFile  *string         `json:"license_file"`
	Readme       *string         `json:"readme"`
	Repository   *string         `json:"repository"`
	RustVersion  *string         `json:"rust_version"`
	Metadata     json.RawMessage `json:"metadata"` // [package.metadata]
	Targets      []*cargoTarget  `json:"targets"`
	Dependencies []struct {
		Name   string  `json:"name"`
		Rename *string `json:"rename"`
		Kind   *string `json:"kind"`
		Req    string  `json:"req"`
	} `json:"dependencies"`
}

type cargoTarget struct {
	Kind    []string `json:"kind"`
	Name    string   `json:"name"`
	SrcPath string   `json:"src_path"`
	Edition string   `json:"edition"`
}

func (t *cargoTarget) is(kinds ...string) bool {
	for _, k := range t.Kind {
		for _, want := range kinds {
			if k == want {
				return true
			}
		}
	}
	return false
}

type resolveNode struct {
	ID       string       `json:"id"`
	Deps     []resolveDep `json:"deps"`
	Features []string     `json:"features"`
}

// resolveDep is a dependency edge of a resolve node.
type resolveDep struct {
	Name     string `json:"name"`
	Pkg      string `json:"pkg"`
	DepKinds []struct {
		Kind   *string `json:"kind"`
		Target *string `json:"target"`
	} `json:"dep_kinds"`
}

// cargoRunner runs cargo with a private CARGO_HOME whose config replaces
// crates.io with the directory source --sources, offline.
type cargoRunner struct {
	cargo string
	home  string
}

func newCargoRunner(cargo, sources string) (*cargoRunner, error) {
	if _, err := exec.LookPath(cargo); err != nil {
		return nil, usageError{fmt.Sprintf("--cargo=%s: %v", cargo, unwrapExecError(err))}
	}
	home, err := os.MkdirTemp("", "rules_rustc_wasm_crates_home")
	if err != nil {
		return nil, err
	}
	config := "# Written by @rules_rustc_wasm//crates:generate for one run.\n" +
		"[source.crates-io]\nreplace-with = \"vendored\"\n\n" +
		"[source.vendored]\ndirectory = " + strconv.Quote(sources) + "\n\n" +
		"[net]\noffline = true\n"
	if err := os.WriteFile(filepath.Join(home, "config.toml"), []byte(config), 0o644); err != nil {
		os.RemoveAll(home)
		return nil, err
	}
	return &cargoRunner{cargo: cargo, home: home}, nil
}

func (c *cargoRunner) close() { os.RemoveAll(c.home) }

func unwrapExecError(err error) error {
	if ee, ok := err.(*exec.Error); ok {
		return ee.Err
	}
	return err
}

// run runs cargo in dir and returns its stdout, or an error carrying its stderr.
func (c *cargoRunner) run(dir string, args ...string) ([]byte, string, error) {
	cmd := exec.Command(c.cargo, args...)
	cmd.Dir = dir
	env := []string{"CARGO_HOME=" + c.home}
	for _, kv := range os.Environ() {
		// The private CARGO_HOME carries the only configuration; cargo's own
		// environment overrides would defeat it.
		if strings.HasPrefix(kv, "CARGO_") || strings.HasPrefix(kv, "RUSTC_WRAPPER=") {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return stdout.Bytes(), strings.TrimSpace(stderr.String()), err
}

var (
	reBadManifest = regexp.MustCompile("failed to parse manifest at `([^`]+)`")
	reMissingName = regexp.MustCompile("(?:searched package name: |no matching package named )`([^`]+)`")
	reMissingReq  = regexp.MustCompile("requirement `([^`]+)`")
	reRequiredBy  = regexp.MustCompile("required by package `([^`]+)`")
)

// missingContext is what explainCargoError can add to cargo's message about a
// crate it cannot find: the versions Cargo.lock pins, and the requirements the
// workspace members state.
type missingContext struct {
	locked  map[string][]string // name -> versions in Cargo.lock
	members []*cargoPackage
}

func (m *missingContext) describe(name, requiredBy string) string {
	if m == nil {
		return ""
	}
	if vs := m.locked[name]; len(vs) > 0 {
		return " " + strings.Join(vs, ", ") + ", pinned by Cargo.lock,"
	}
	for _, p := range m.members {
		if !strings.HasPrefix(requiredBy, p.Name+" v"+p.Version) {
			continue
		}
		for _, d := range p.Dependencies {
			if d.Name == name && d.Req != "" {
				return " " + d.Req
			}
		}
	}
	return ""
}

// explainCargoError turns cargo's failure into an error that says what is wrong
// in this program's terms, and keeps cargo's own message below it.
func explainCargoError(o *options, lockfile string, ctx *missingContext, what, stderr string, err error) error {
	switch {
	case reBadManifest.MatchString(stderr):
		// Cargo says so below "failed to load source for dependency"
		// when the manifest is a dependency's: it is not missing.
		return fmt.Errorf("cargo cannot parse %s: fix that manifest.\ncargo says:\n%s",
			reBadManifest.FindStringSubmatch(stderr)[1], indent(stderr))
	case strings.Contains(stderr, "--locked") && strings.Contains(stderr, "lock file"):
		return fmt.Errorf("%s does not match %s: cargo (with --locked) refuses to update it. "+
			"Regenerate it with `cargo generate-lockfile --offline` (or delete it and rerun this command), review the change, and rerun.\ncargo says:\n%s",
			lockfile, o.manifest, indent(stderr))
	case strings.Contains(stderr, "no matching package") || strings.Contains(stderr, "failed to select a version") ||
		strings.Contains(stderr, "failed to load source for dependency"):
		name, by := "a dependency", ""
		requiredBy := ""
		if m := reRequiredBy.FindStringSubmatch(stderr); m != nil {
			requiredBy = m[1]
			by = " (required by " + m[1] + ")"
		}
		if m := reMissingName.FindStringSubmatch(stderr); m != nil {
			name = "crate " + strconv.Quote(m[1]) + ctx.describe(m[1], requiredBy)
		} else if m := reMissingReq.FindStringSubmatch(stderr); m != nil {
			name = "crate " + m[1]
		}
		return fmt.Errorf("%s%s is not in --sources=%s: add its unpacked source there (for Debian: apt-get install librust-<name>-dev), or change the requirement.\ncargo says:\n%s",
			name, by, o.sources, indent(stderr))
	}
	return fmt.Errorf("%s %s failed (%v):\n%s", o.cargo, what, err, indent(stderr))
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}

// resolve runs cargo and returns its metadata and the workspace's Cargo.lock path.
// A missing Cargo.lock is generated first, except under --check.
func resolve(o *options) (*metadata, string, error) {
	c, err := newCargoRunner(o.cargo, o.sources)
	if err != nil {
		return nil, "", err
	}
	defer c.close()
	dir := filepath.Dir(o.manifest)

	// The lockfile lives at the workspace root, which may be above the manifest.
	out, stderr, err := c.run(dir, "metadata", "--format-version", "1", "--offline", "--no-deps", "--manifest-path", o.manifest)
	if err != nil {
		return nil, "", fmt.Errorf("reading %s: %v", o.manifest, explainCargoError(o, "", nil, "metadata --no-deps", stderr, err))
	}
	var ws metadata
	if err := json.Unmarshal(out, &ws); err != nil {
		return nil, "", fmt.Errorf("%s metadata --no-deps: %v", o.cargo, err)
	}
	lockfile := filepath.Join(ws.WorkspaceRoot, "Cargo.lock")
	ctx := &missingContext{members: ws.Packages}

	if _, err := os.Stat(lockfile); os.IsNotExist(err) {
		if o.check {
			return nil, "", fmt.Errorf("missing: %s (--check writes nothing; run without --check to create it)", lockfile)
		}
		if _, stderr, err := c.run(dir, "generate-lockfile", "--offline", "--manifest-path", o.manifest); err != nil {
			return nil, "", explainCargoError(o, lockfile, ctx, "generate-lockfile", stderr, err)
		}
	} else if err != nil {
		return nil, "", err
	} else if entries, err := readLock(lockfile); err == nil {
		ctx.locked = map[string][]string{}
		for _, e := range entries {
			ctx.locked[e.name] = append(ctx.locked[e.name], e.version)
		}
	}

	out, stderr, err = c.run(dir, "metadata", "--format-version", "1", "--offline", "--locked", "--manifest-path", o.manifest)
	if err != nil {
		return nil, "", explainCargoError(o, lockfile, ctx, "metadata", stderr, err)
	}
	var md metadata
	if err := json.Unmarshal(out, &md); err != nil {
		return nil, "", fmt.Errorf("%s metadata: %v", o.cargo, err)
	}
	if md.Resolve == nil {
		return nil, "", fmt.Errorf("%s metadata gave no dependency graph", o.cargo)
	}
	return &md, lockfile, nil
}

// lockEntry is one [[package]] of Cargo.lock.
type lockEntry struct{ name, version, source, checksum string }

// readLockChecksums returns the checksum of each Cargo.lock package, keyed by
// "name version".
func readLockChecksums(path string) (map[string]string, error) {
	entries, err := readLock(path)
	if err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, e := range entries {
		if e.checksum != "" {
			sums[e.name+" "+e.version] = e.checksum
		}
	}
	return sums, nil
}

// readLock returns the [[package]] entries of a Cargo.lock. Only their flat
// `key = "value"` lines are read; that is all a v2/v3/v4 lockfile puts there
// besides the `dependencies` array.
func readLock(path string) ([]lockEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var entries []lockEntry
	var cur *lockEntry
	flush := func() {
		if cur != nil && cur.name != "" {
			entries = append(entries, *cur)
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") { // a table header; array items start with '"'
			flush()
			cur = nil
			if line == "[[package]]" {
				cur = &lockEntry{}
			}
			continue
		}
		if cur == nil {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		uq, err := strconv.Unquote(strings.TrimSpace(v))
		if err != nil {
			continue
		}
		switch strings.TrimSpace(k) {
		case "name":
			cur.name = uq
		case "version":
			cur.version = uq
		case "source":
			cur.source = uq
		case "checksum":
			cur.checksum = uq
		}
	}
	flush()
	return entries, sc.Err()
}

// packageFields are the package's [package] fields that Cargo turns into
// CARGO_PKG_* variables, by the rules' cargo_package keys; absent ones are
// left out. Cargo joins authors with ':'. A line break (a description may
// span lines) cannot stay on one line of a parameter file, so runs of
// white space become one space.
func (p *cargoPackage) packageFields() map[string]string {
	fields := map[string]string{}
	set := func(key string, v *string) {
		if v != nil && *v != "" {
			fields[key] = strings.Join(strings.Fields(*v), " ")
		}
	}
	if len(p.Authors) > 0 {
		authors := strings.Join(p.Authors, ":")
		set("authors", &authors)
	}
	set("description", p.Description)
	set("homepage", p.Homepage)
	set("license", p.License)
	set("license_file", p.LicenseFile)
	set("readme", p.Readme)
	set("repository", p.Repository)
	set("rust_version", p.RustVersion)
	return fields
}
