package procmacrosrv

import (
	"fmt"
	"strings"
	"unicode"
)

// What rustc's proc_macro accepts of a macro's output tokens. In a build,
// the native bridge rebuilds the output with proc_macro::Ident::new,
// Ident::new_raw and Punct::new, which panic on anything else; the editor
// must refuse the same output, or it would show an expansion the build
// rejects.

// punctChars are the characters Punct::new accepts.
const punctChars = "=<>!~+-*/%^&|@.,;:#$?'"

// checkPunct says why ch cannot be a Punct of rustc's, or nil.
func checkPunct(ch rune) error {
	if ch < 0x80 && strings.ContainsRune(punctChars, ch) {
		return nil
	}
	return fmt.Errorf("the output has %q as a punctuation character; proc_macro::Punct::new accepts only %s", ch, strings.Join(strings.Split(punctChars, ""), " "))
}

// checkIdent says why name (without "r#") cannot be an identifier of
// rustc's, raw or not, or nil. An identifier is XID_Start or '_', then
// XID_Continue; a lifetime is a Punct (') and an Ident, so no identifier
// has a quote. "$crate" is one too: rustc's Ident::new takes it, since a
// macro_rules! macro can hand it to a proc macro. r# cannot be put before
// "_", "crate", "self", "Self" or "super".
func checkIdent(name string, raw bool) error {
	if !raw && name == "$crate" {
		return nil
	}
	if !isIdent(name) {
		return fmt.Errorf("the output has %q as an identifier, which is not one (proc_macro::Ident::new panics on it)", clipText(name))
	}
	if raw {
		switch name {
		case "_", "crate", "self", "Self", "super":
			return fmt.Errorf("the output has r#%s, which cannot be a raw identifier (proc_macro::Ident::new_raw panics on it)", name)
		}
	}
	return nil
}

// isIdent reports whether s is an identifier: XID_Start or '_', then
// XID_Continue.
func isIdent(s string) bool {
	for i, r := range s {
		if i == 0 && r != '_' && !isXIDStart(r) || i > 0 && !isXIDContinue(r) {
			return false
		}
	}
	return s != ""
}

// Go has no XID tables. These follow Unicode's definitions of ID_Start
// (letters, letter numbers and Other_ID_Start, less Pattern_Syntax and
// Pattern_White_Space) and ID_Continue (ID_Start, nonspacing and spacing
// marks, decimal digits, connector punctuation and Other_ID_Continue),
// with Go's tables of its own Unicode version. XID_* differ from ID_* in
// a few dozen characters that NFKC normalisation changes (U+037A, U+0E33,
// some Arabic presentation forms and halfwidth kana marks): those are the
// approximation, rustc may refuse one that passes here.
func isXIDStart(r rune) bool {
	return (unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r)) && !patternChar(r)
}

func isXIDContinue(r rune) bool {
	return isXIDStart(r) || (unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Other_ID_Continue) && !patternChar(r))
}

func patternChar(r rune) bool {
	return unicode.In(r, unicode.Pattern_Syntax, unicode.Pattern_White_Space)
}
