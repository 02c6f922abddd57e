package action

// The files an action's flags name, read a line at a time: parameter files
// (@FILE) and the files of flags such as --arg-file.

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/textsafe"
)

// lineError is a line with a control character.
type lineError struct {
	line, offset int
	char         rune
}

func (e *lineError) Error() string {
	return fmt.Sprintf("line %d: a control character (U+%04X) at byte %d", e.line, e.char, e.offset)
}

// scanLines returns the lines of r. A line with a control character is an
// error (a *lineError): a line break in a value would have split it in two
// when the file was written. A line may be long (64 MiB).
func scanLines(r io.Reader) ([]string, error) {
	var lines []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for n := 1; sc.Scan(); n++ {
		if c, i, ok := textsafe.ControlChar(sc.Text()); ok {
			return nil, &lineError{line: n, offset: i, char: c}
		}
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// ReadLines returns the lines of the file name, relative to dir (see
// Resolve). A line with a control character is an error.
func ReadLines(dir, name string) ([]string, error) {
	f, err := os.Open(Resolve(dir, name))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, errors.New("no such file")
		}
		return nil, err
	}
	defer f.Close()
	lines, err := scanLines(f)
	var le *lineError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("%w; each line is one argument, variable or path", le)
	}
	return lines, err
}

// ExpandParams replaces each @FILE argument by the lines of FILE, relative
// to dir, as rustc and Bazel's "multiline" parameter files have them. An
// argument or a line with a control character is an error: a line break in
// a value would have split it into two arguments when the file was
// written.
func ExpandParams(dir string, args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "@") || len(a) == 1 {
			if r, i, ok := textsafe.ControlChar(a); ok {
				return nil, fmt.Errorf("argument %q: a control character (U+%04X) at byte %d", a, r, i)
			}
			out = append(out, a)
			continue
		}
		f, err := os.Open(Resolve(dir, a[1:]))
		if err != nil {
			return nil, fmt.Errorf("parameter file %s: %w", a[1:], err)
		}
		lines, err := scanLines(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("parameter file %s: %w", a[1:], err)
		}
		out = append(out, lines...)
	}
	return out, nil
}
