package main

// Every value the generator writes comes from a manifest (a crate's own
// Cargo.toml, through cargo metadata), from an override or from Cargo.lock,
// and reaches rustc's command line, a parameter file or an environment:
// the rules write one argument a line, so a line break in a feature name
// (which Debian's cargo only warns about) would become arguments of its
// own. So each value is checked here, where it enters, and refused with
// the crate, the key and the file named.

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// isControl reports a control character: C0, DEL or C1.
func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f
}

// textProblem says what is wrong with a value for a command line, or "".
func textProblem(v string) string {
	if !utf8.ValidString(v) {
		return "holds bytes that are not UTF-8"
	}
	for i, r := range v {
		if isControl(r) {
			return fmt.Sprintf("holds a control character (U+%04X) at byte %d, which would split it or cut it short on rustc's command line", r, i)
		}
	}
	return ""
}

// envNamePattern is what an environment variable's name may be.
var envNamePattern = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.-]*$`)

// setByTheRules are names the rules and the runner set themselves: a
// second value would give rustc or the script two.
var setByTheRules = map[string]bool{"OUT_DIR": true, "CARGO_MANIFEST_DIR": true}

var sha256Pattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// checker collects the first problem with a crate's values.
type checker struct {
	crate string // "name version"
	err   error
}

func (k *checker) fail(key, file, value, problem string) {
	if k.err == nil {
		k.err = fmt.Errorf("crate %s: %s in %s: %q %s", k.crate, key, file, value, problem)
	}
}

// text checks one value.
func (k *checker) text(key, file, v string) {
	if p := textProblem(v); p != "" {
		k.fail(key, file, v, p)
	}
}

// nonEmpty checks one value of a list that rustc takes one by one.
func (k *checker) nonEmpty(key, file, v string) {
	if v == "" {
		k.fail(key, file, v, "is empty")
		return
	}
	k.text(key, file, v)
}

// feature checks a feature name: the rules write it as
// --cfg=feature="NAME", so it may hold no quote or backslash either.
func (k *checker) feature(key, file, v string) {
	k.nonEmpty(key, file, v)
	if strings.ContainsAny(v, `"\`) {
		k.fail(key, file, v, `holds a quote or a backslash, which would end --cfg=feature="..." early`)
	}
}

// env checks an environment's names and values; reserved names are
// those the rules or the runner set.
func (k *checker) env(key, file string, m map[string]string) {
	for _, name := range sortedKeys(m) {
		switch {
		case !envNamePattern.MatchString(name):
			k.fail(key, file, name, "is not a variable name (letters, digits, '_', '.', '-'; not empty, no '=')")
		case setByTheRules[name]:
			k.fail(key, file, name, "is set by the rules themselves")
		}
		k.text(key+"."+name, file, m[name])
	}
}

// checkCrate checks every value of c that the generated files hold.
func checkCrate(c *crate, lockfile string) error {
	manifest := c.pkg.ManifestPath
	k := &checker{crate: c.pkg.Name + " " + c.pkg.Version}
	k.text("package.name", manifest, c.pkg.Name)
	k.text("package.version", manifest, c.pkg.Version)
	k.text("package.edition", manifest, c.pkg.Edition)
	if c.pkg.Links != nil {
		k.text("package.links", manifest, *c.pkg.Links)
	}
	fields := c.pkg.packageFields()
	for _, key := range sortedKeys(fields) {
		k.text("package."+key, manifest, fields[key])
	}
	k.text("the package's directory", manifest, c.dir)
	for _, t := range []*cargoTarget{c.lib, c.buildScript} {
		if t != nil {
			k.text("target "+t.Name, manifest, t.Name)
			k.text("target "+t.Name+" path", manifest, t.SrcPath)
			k.text("target "+t.Name+" edition", manifest, t.Edition)
		}
	}
	for _, f := range c.features {
		k.feature("features", manifest, f)
	}
	for _, refs := range [][]depRef{c.deps, c.buildDeps} {
		for _, r := range refs {
			k.text("the name of dependency "+r.c.pkg.Name, manifest, r.extern)
		}
	}
	if c.sha256 != "" && !sha256Pattern.MatchString(c.sha256) {
		k.fail("checksum", lockfile, c.sha256, "is not a SHA-256 (64 lowercase hex digits)")
	}
	if c.url != "" {
		k.text("the download URL", "--download-url-template", c.url)
	}
	if ov := c.ov; ov != nil {
		for _, v := range ov.Cfgs {
			k.nonEmpty("cfgs", ov.origin, v)
		}
		for _, v := range ov.RustcFlags {
			k.nonEmpty("rustc_flags", ov.origin, v)
		}
		for _, v := range ov.Features {
			k.feature("features", ov.origin, v)
		}
		for _, v := range ov.WasmFlavourCfgs {
			k.nonEmpty("wasm_flavour_cfgs", ov.origin, v)
			if strings.HasPrefix(v, "=") {
				k.fail("wasm_flavour_cfgs", ov.origin, v, `is not NAME or NAME="VALUE"`)
			}
		}
		k.env("rustc_env", ov.origin, ov.RustcEnv)
		k.env("build_script_env", ov.origin, ov.BuildScriptEnv)
	}
	return k.err
}

// checkAlias checks the name of an alias, a dependency's name in a
// workspace member's Cargo.toml.
func checkAlias(name string, members map[string]*cargoPackage) error {
	if p := textProblem(name); p != "" {
		var files []string
		for _, id := range sortedKeys(members) {
			files = append(files, members[id].ManifestPath)
		}
		return fmt.Errorf("dependency %q of %s %s", name, strings.Join(files, ", "), p)
	}
	return nil
}
