package macrobuild

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Custom sections of a wasm proc-macro module: what the build writes into
// it for the expansion to read.
const (
	// DeclsSection lists the module's macros, one a line (see FormatDecls),
	// in the format of the research rustc fork this project started from;
	// the attribute macros of rules_rustc_wasm_attrs write a line beside
	// each macro function, and the linker joins them.
	DeclsSection = ".rustc_proc_macro_decls"
	// KeySection ties the module to the shims generated for it
	// (FormatKey); RenameAttributes appends it to the crate root.
	KeySection = "rules_rustc_wasm.macro"
)

// Kind is the kind of a proc macro.
type Kind string

// The three kinds of proc macro, as written in the declarations section.
const (
	KindDerive Kind = "derive" // #[proc_macro_derive(Name, attributes(...))]
	KindAttr   Kind = "attr"   // #[proc_macro_attribute]
	KindBang   Kind = "bang"   // #[proc_macro]
)

// Decl declares one proc macro of a crate.
type Decl struct {
	Kind Kind
	// Name is the macro's name: the derive's trait name, or the function's
	// name (without "r#") for attr and bang macros. Derive, attr and bang
	// macros share one namespace.
	Name string
	// Function is the Rust function implementing the macro, at the crate
	// root, with "r#" when it was written as a raw identifier.
	Function string
	// Attributes lists a derive's helper attributes (derives only).
	Attributes []string
}

// FormatDecls returns the text of the .rustc_proc_macro_decls section: one
// line per macro, "derive:Name:function[:a,b]", "attr:name:function" or
// "bang:name:function", each ending in "\n".
func FormatDecls(decls []Decl) string {
	var b strings.Builder
	for _, d := range decls {
		b.WriteString(string(d.Kind))
		b.WriteByte(':')
		b.WriteString(d.Name)
		b.WriteByte(':')
		b.WriteString(d.Function)
		if len(d.Attributes) > 0 {
			b.WriteByte(':')
			b.WriteString(strings.Join(d.Attributes, ","))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ParseDecls parses the text FormatDecls writes. Every line is checked:
// its kind, the identifier syntax of each field, and that no two macros
// share a name or a function. The text "" declares no macro.
func ParseDecls(text string) ([]Decl, error) {
	var decls []Decl
	if text == "" {
		return decls, nil
	}
	if !utf8.ValidString(text) {
		return nil, errors.New("the declarations are not valid UTF-8")
	}
	lines := strings.Split(text, "\n")
	if last := lines[len(lines)-1]; last != "" {
		return nil, fmt.Errorf("line %d %q: the last line does not end in a newline", len(lines), last)
	}
	lines = lines[:len(lines)-1]
	for i, line := range lines {
		d, err := declParseLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d %q: %v", i+1, line, err)
		}
		if err := declCheck(d); err != nil {
			return nil, fmt.Errorf("line %d %q: %v", i+1, line, err)
		}
		for j, prev := range decls {
			if prev.Name == d.Name {
				return nil, fmt.Errorf("line %d %q: a second macro named %s (the first is on line %d)", i+1, line, d.Name, j+1)
			}
			if prev.Function == d.Function {
				return nil, fmt.Errorf("line %d %q: function %s is already the macro %s on line %d", i+1, line, d.Function, prev.Name, j+1)
			}
		}
		decls = append(decls, d)
	}
	return decls, nil
}

func declParseLine(line string) (Decl, error) {
	if line == "" {
		return Decl{}, errors.New("empty line")
	}
	f := strings.Split(line, ":")
	d := Decl{Kind: Kind(f[0])}
	switch d.Kind {
	case KindDerive:
		if len(f) != 3 && len(f) != 4 {
			return d, fmt.Errorf("a derive line has 3 or 4 fields (derive:Trait:function[:attr,...]), not %d", len(f))
		}
	case KindAttr, KindBang:
		if len(f) != 3 {
			return d, fmt.Errorf("%s %s line has 3 fields (%s:name:function), not %d", declArticle(d.Kind), d.Kind, d.Kind, len(f))
		}
	default:
		return d, fmt.Errorf("unknown kind %q (want derive, attr or bang)", f[0])
	}
	d.Name, d.Function = f[1], f[2]
	if len(f) == 4 {
		if f[3] == "" {
			return d, errors.New("empty helper attribute list (leave out the last ':' instead)")
		}
		d.Attributes = strings.Split(f[3], ",")
	}
	return d, nil
}

// declCheck checks one declaration on its own.
func declCheck(d Decl) error {
	switch d.Kind {
	case KindDerive, KindAttr, KindBang:
	default:
		return fmt.Errorf("unknown kind %q (want derive, attr or bang)", string(d.Kind))
	}
	if d.Name == "" {
		return errors.New("empty macro name")
	}
	if d.Function == "" {
		return errors.New("empty function name")
	}
	if !declIsFunction(d.Function) {
		return fmt.Errorf("function %q is not a Rust identifier", d.Function)
	}
	switch d.Kind {
	case KindDerive:
		if !declIsIdent(d.Name) || declStrictKeywords[d.Name] {
			return fmt.Errorf("trait name %q is not a Rust identifier", d.Name)
		}
		seen := map[string]bool{}
		for _, a := range d.Attributes {
			if a == "" {
				return errors.New("empty helper attribute name")
			}
			if !declIsIdent(a) || declStrictKeywords[a] {
				return fmt.Errorf("helper attribute %q is not a Rust identifier", a)
			}
			if seen[a] {
				return fmt.Errorf("helper attribute %s is listed twice", a)
			}
			seen[a] = true
		}
	default:
		if !declIsIdent(d.Name) {
			return fmt.Errorf("macro name %q is not a Rust identifier", d.Name)
		}
		if strings.TrimPrefix(d.Function, "r#") != d.Name {
			return fmt.Errorf("%s %s macro is named as its function: %q is not %q", declArticle(d.Kind), d.Kind, d.Name, d.Function)
		}
		if len(d.Attributes) > 0 {
			return fmt.Errorf("%s %s macro has no helper attributes", declArticle(d.Kind), d.Kind)
		}
	}
	return nil
}

// FormatKey returns the text of the rules_rustc_wasm.macro section.
func FormatKey(key string) string {
	return "v1 " + key + "\n"
}

// ParseKey parses the text FormatKey writes and returns the key.
func ParseKey(text string) (string, error) {
	rest, ok := strings.CutPrefix(text, "v1 ")
	if !ok {
		return "", fmt.Errorf("%q does not start with \"v1 \"", declClip(text))
	}
	key, ok := strings.CutSuffix(rest, "\n")
	if !ok {
		return "", fmt.Errorf("%q does not end in a newline", declClip(text))
	}
	if err := declCheckKey(key); err != nil {
		return "", err
	}
	return key, nil
}

// declCheckKey checks a macro key: one or more ASCII letters, digits, '_'
// and '-'.
func declCheckKey(key string) error {
	if key == "" {
		return errors.New("empty macro key")
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return fmt.Errorf("macro key %q has a character other than A-Z, a-z, 0-9, '_' and '-'", declClip(key))
		}
	}
	return nil
}

func declArticle(k Kind) string {
	if k == KindAttr {
		return "an"
	}
	return "a"
}

func declClip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

// declIsIDStart approximates Unicode XID_Start, plus '_'.
func declIsIDStart(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
	}
	return unicode.In(r, unicode.L, unicode.Nl, unicode.Other_ID_Start) &&
		!unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space)
}

// declIsIDContinue approximates Unicode XID_Continue.
func declIsIDContinue(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return declIsIDStart(r) ||
		unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) &&
			!unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space)
}

// declIsIdent reports whether s has the syntax of a (non-raw) Rust
// identifier; keywords are not checked.
func declIsIdent(s string) bool {
	if s == "" || s == "_" {
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError {
			return false
		}
		if i == 0 && !declIsIDStart(r) || i > 0 && !declIsIDContinue(r) {
			return false
		}
	}
	return true
}

// declIsFunction reports whether s names a function in a path: an
// identifier that is not a keyword, or a raw identifier "r#name".
func declIsFunction(s string) bool {
	if base, raw := strings.CutPrefix(s, "r#"); raw {
		return declIsIdent(base) && !declNotRaw[base]
	}
	return declIsIdent(s) && !declStrictKeywords[s]
}

// declStrictKeywords are the keywords (strict and reserved) of every
// edition; declEditionKeywords are keywords from the 2018 edition on.
var declStrictKeywords = map[string]bool{
	"as": true, "break": true, "const": true, "continue": true, "crate": true, "else": true,
	"enum": true, "extern": true, "false": true, "fn": true, "for": true, "if": true,
	"impl": true, "in": true, "let": true, "loop": true, "match": true, "mod": true,
	"move": true, "mut": true, "pub": true, "ref": true, "return": true, "self": true,
	"Self": true, "static": true, "struct": true, "super": true, "trait": true, "true": true,
	"type": true, "unsafe": true, "use": true, "where": true, "while": true,
	"abstract": true, "become": true, "box": true, "do": true, "final": true, "macro": true,
	"override": true, "priv": true, "typeof": true, "unsized": true, "virtual": true, "yield": true,
}

var declEditionKeywords = map[string]bool{"async": true, "await": true, "dyn": true, "try": true}

// declNotRaw are the identifiers that cannot be raw.
var declNotRaw = map[string]bool{"crate": true, "self": true, "super": true, "Self": true}
