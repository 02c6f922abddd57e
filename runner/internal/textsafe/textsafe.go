// Package textsafe checks and cleans text that comes from guests, build
// scripts and crate metadata before it reaches a command line, a parameter
// file, an environment or a terminal.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// IsControl reports a control character: C0, DEL or C1.
func IsControl(r rune) bool {
	return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f
}

// ControlChar returns the first control character of s and its byte
// offset, or ok false when s has none.
func ControlChar(s string) (r rune, offset int, ok bool) {
	for i, r := range s {
		if IsControl(r) {
			return r, i, true
		}
	}
	return 0, 0, false
}

// Printable makes text safe to print on a terminal: control characters
// other than newline and tab, and bytes that are not UTF-8, become escapes
// such as \x1b, so that a guest cannot move the cursor, clear the screen or
// retitle the window through what the runner prints of it.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || IsControl(r) && r != '\n' && r != '\t' {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x80 && IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case IsControl(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
