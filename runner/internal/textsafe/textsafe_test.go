package textsafe

import "testing"

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext\n":           "plain\ttext\n",
		"\x1b[2Jcleared":          `\x1b[2Jcleared`,
		"bell\a, cr\r, del\x7f":   `bell\x07, cr\x0d, del\x7f`,
		"c1 \u009b":               `c1 \u009b`,
		"bad \xff utf-8 é \uFFFD": `bad \xff utf-8 é ` + "\uFFFD",
	} {
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestControlChar(t *testing.T) {
	for in, want := range map[string]int{"": -1, "abc": -1, "é…": -1, "a\nb": 1, "ab\x00": 2, "\u0085": 0, "x\x7f": 1} {
		_, i, ok := ControlChar(in)
		if !ok {
			i = -1
		}
		if i != want {
			t.Errorf("ControlChar(%q) at %d, want %d", in, i, want)
		}
	}
}
