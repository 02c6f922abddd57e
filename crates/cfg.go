package main

import (
	"fmt"
	"sort"
	"strings"
)

// A platform-specific dependency (`[target.'cfg(windows)'.dependencies]`) is
// kept when its target holds for at least one of the platforms a crate is
// built for here: the wasm targets (libraries, binaries, and proc macros in
// the wasm flavour) and the Linux host (proc macros and build scripts in the
// native flavour). One crate repository serves all of them, so the union is
// the only safe choice: a dependency that a platform does not need is built
// but unused, while a missing one fails the build.
//
// Names rustc would set that are not listed here (target_feature, panic,
// debug_assertions, ...) are false on every platform.
type platform struct {
	triple string
	flags  map[string]bool
	values map[string]string
}

// wasmTargets are what the rules and the generator need of `rustc --print
// cfg --target <triple>` for the wasm32 WASI targets (a subset: rustc 1.96
// also prints target_abi and the default target_features, which neither
// uses), the one table of them: rules/private/wasm_targets.bzl is
// generated from it (for toolchains that cannot ask their rustc, a
// rustc.wasm), and TestWasmTargetsBzl fails when the two differ. Regenerate
// with `go test ./crates -run TestWasmTargetsBzl -update`. Native
// toolchains ask their own rustc.
var wasmTargets = []wasmTarget{
	{"wasm32-wasi", wasiCfg(`target_env=""`)},
	{"wasm32-wasip1", wasiCfg(`target_env="p1"`)},
	{"wasm32-wasip1-threads", wasiCfg(`target_env="p1"`, `target_feature="atomics"`, `target_feature="bulk-memory"`)},
}

type wasmTarget struct {
	triple string
	cfg    []string
}

// wasiCfg is what the wasm32 WASI targets share, with extra lines, sorted
// as rustc prints them.
func wasiCfg(extra ...string) []string {
	cfg := append([]string{
		`debug_assertions`,
		`panic="abort"`,
		`target_arch="wasm32"`,
		`target_endian="little"`,
		`target_family="wasm"`,
		`target_has_atomic="16"`,
		`target_has_atomic="32"`,
		`target_has_atomic="64"`,
		`target_has_atomic="8"`,
		`target_has_atomic="ptr"`,
		`target_os="wasi"`,
		`target_pointer_width="32"`,
		`target_vendor="unknown"`,
	}, extra...)
	sort.Strings(cfg)
	return cfg
}

// platformKeys are the cfg names a dependency's target is judged by.
var platformKeys = []string{"target_arch", "target_os", "target_family", "target_env", "target_vendor", "target_pointer_width", "target_endian"}

// wasmPlatform is the platform of a wasm target: its platformKeys, as its
// cfg lines give them.
func wasmPlatform(t wasmTarget) platform {
	p := platform{triple: t.triple, values: map[string]string{}}
	for _, line := range t.cfg {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		for _, want := range platformKeys {
			if k == want {
				p.values[k] = strings.Trim(v, `"`)
			}
		}
	}
	return p
}

var platforms = append(wasmPlatforms(), platform{
	triple: "x86_64-unknown-linux-gnu",
	flags:  map[string]bool{"unix": true},
	values: map[string]string{"target_arch": "x86_64", "target_os": "linux", "target_family": "unix", "target_env": "gnu",
		"target_vendor": "unknown", "target_pointer_width": "64", "target_endian": "little"},
})

func wasmPlatforms() []platform {
	var ps []platform
	for _, t := range wasmTargets {
		ps = append(ps, wasmPlatform(t))
	}
	return ps
}

// targetApplies reports whether a dependency declared for target (a triple or
// a cfg(...) expression) is needed on any platform above.
func targetApplies(target string) (bool, error) {
	target = strings.TrimSpace(target)
	if !strings.HasPrefix(target, "cfg(") {
		for _, p := range platforms {
			if p.triple == target {
				return true, nil
			}
		}
		return false, nil
	}
	expr, err := parseCfg(target)
	if err != nil {
		return false, fmt.Errorf("target %q: %v", target, err)
	}
	for _, p := range platforms {
		if expr.eval(p) {
			return true, nil
		}
	}
	return false, nil
}

// cfgExpr is a parsed cfg predicate.
type cfgExpr struct {
	op    string // "all", "any", "not", "flag", "kv"
	key   string
	value string
	args  []*cfgExpr
}

func (e *cfgExpr) eval(p platform) bool {
	switch e.op {
	case "all":
		for _, a := range e.args {
			if !a.eval(p) {
				return false
			}
		}
		return true
	case "any":
		for _, a := range e.args {
			if a.eval(p) {
				return true
			}
		}
		return false
	case "not":
		return !e.args[0].eval(p)
	case "flag":
		return p.flags[e.key]
	default: // kv
		v, ok := p.values[e.key]
		return ok && v == e.value
	}
}

type cfgParser struct {
	toks []string
	pos  int
}

// parseCfg parses `cfg(PRED)`.
func parseCfg(s string) (*cfgExpr, error) {
	toks, err := lexCfg(s)
	if err != nil {
		return nil, err
	}
	p := &cfgParser{toks: toks}
	if p.next() != "cfg" || p.next() != "(" {
		return nil, fmt.Errorf("want cfg(...)")
	}
	e, err := p.pred()
	if err != nil {
		return nil, err
	}
	if p.next() != ")" || p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected text after the predicate")
	}
	return e, nil
}

func (p *cfgParser) next() string {
	if p.pos >= len(p.toks) {
		return ""
	}
	p.pos++
	return p.toks[p.pos-1]
}

func (p *cfgParser) peek() string {
	if p.pos >= len(p.toks) {
		return ""
	}
	return p.toks[p.pos]
}

func (p *cfgParser) pred() (*cfgExpr, error) {
	name := p.next()
	if name == "" || strings.ContainsAny(name[:1], "()=,\"") {
		return nil, fmt.Errorf("want a name, got %q", name)
	}
	switch p.peek() {
	case "=":
		p.next()
		v := p.next()
		if !strings.HasPrefix(v, "\"") {
			return nil, fmt.Errorf("want a string after %s =", name)
		}
		return &cfgExpr{op: "kv", key: name, value: strings.Trim(v, "\"")}, nil
	case "(":
		if name != "all" && name != "any" && name != "not" {
			return nil, fmt.Errorf("unknown operator %s(...)", name)
		}
		p.next()
		e := &cfgExpr{op: name}
		for p.peek() != ")" {
			a, err := p.pred()
			if err != nil {
				return nil, err
			}
			e.args = append(e.args, a)
			if p.peek() == "," {
				p.next()
			} else if p.peek() != ")" {
				return nil, fmt.Errorf("want , or ) in %s(...)", name)
			}
		}
		p.next()
		if name == "not" && len(e.args) != 1 {
			return nil, fmt.Errorf("not(...) takes one predicate")
		}
		return e, nil
	}
	return &cfgExpr{op: "flag", key: name}, nil
}

func lexCfg(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '(' || c == ')' || c == ',' || c == '=':
			toks = append(toks, string(c))
			i++
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, fmt.Errorf("unterminated string")
			}
			toks = append(toks, s[i:i+j+2])
			i += j + 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n(),=\"", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}
