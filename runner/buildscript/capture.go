package buildscript

// What the runner keeps of a script's output: the host's memory must not
// follow what a script prints. Of each stream it keeps a bounded excerpt for
// the failure report; of stdout also the "cargo:" lines, which are all the
// parser needs, up to MaxInstructions.

import (
	"bytes"
	"fmt"
	"strings"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/textsafe"
)

const (
	// MaxInstructions bounds the "cargo:" lines of a script's stdout, in
	// bytes (the worker bounds a response's output alike).
	MaxInstructions = 16 << 20
	// ReportHead and ReportTail are how much of the start and of the end
	// of each stream a failure report shows; the middle is dropped, and
	// the report says how much.
	ReportHead = 64 << 10
	ReportTail = 192 << 10
)

const cargoPrefix = "cargo:"

// capture is an io.Writer for one stream of a script, safe for the
// threads of a wasm guest. It keeps the first ReportHead and the last
// ReportTail bytes; with lines set it also collects the stream's lines that
// start with "cargo:", each with its line number.
type capture struct {
	mu    sync.Mutex
	head  []byte
	tail  []byte // the last bytes, at most 2*ReportTail, trimmed to ReportTail when read
	total int64

	lines    bool
	lineNo   int    // the number of the line being written, from 1
	cur      []byte // the line so far, while it may be an instruction
	skipping bool   // the line so far is not an instruction
	tooLong  bool   // the line so far is an instruction longer than MaxInstructions
	kept     int    // bytes in instr
	instr    []instruction
	err      error // the first line that could not be kept
}

// instruction is a "cargo:" line and where it was.
type instruction struct {
	n    int
	text string
}

func newCapture(lines bool) *capture {
	return &capture{lines: lines, lineNo: 1}
}

func (c *capture) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.total += int64(len(p))
	if room := ReportHead - len(c.head); room > 0 {
		n := min(room, len(p))
		c.head = append(c.head, p[:n]...)
		c.keepTail(p[n:])
	} else {
		c.keepTail(p)
	}
	if c.lines {
		c.scan(p)
	}
	return len(p), nil
}

func (c *capture) keepTail(p []byte) {
	if len(p) >= ReportTail {
		c.tail = append(c.tail[:0], p[len(p)-ReportTail:]...)
		return
	}
	c.tail = append(c.tail, p...)
	if len(c.tail) > 2*ReportTail {
		c.tail = append(c.tail[:0], c.tail[len(c.tail)-ReportTail:]...)
	}
}

// scan follows the lines of p, keeping those that start with "cargo:".
func (c *capture) scan(p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		part := p
		if i >= 0 {
			part = p[:i]
		}
		c.addToLine(part)
		if i < 0 {
			return
		}
		c.endLine()
		p = p[i+1:]
	}
}

func (c *capture) addToLine(part []byte) {
	if c.skipping || c.tooLong {
		return
	}
	if len(c.cur) < len(cargoPrefix) {
		// Is it an instruction? Only the first bytes tell.
		n := min(len(cargoPrefix)-len(c.cur), len(part))
		if !strings.HasPrefix(cargoPrefix, string(c.cur)+string(part[:n])) {
			c.skipping, c.cur = true, c.cur[:0]
			return
		}
	}
	if len(c.cur)+len(part) > MaxInstructions {
		c.tooLong, c.cur = true, nil
		return
	}
	c.cur = append(c.cur, part...)
}

func (c *capture) endLine() {
	switch {
	case c.tooLong:
		c.fail(fmt.Errorf("stdout line %d: a %s line longer than %d MiB", c.lineNo, cargoPrefix, MaxInstructions>>20))
	case !c.skipping && len(c.cur) >= len(cargoPrefix):
		if c.kept+len(c.cur) > MaxInstructions {
			c.fail(fmt.Errorf("stdout line %d: the script printed more than %d MiB of %s lines", c.lineNo, MaxInstructions>>20, cargoPrefix))
		} else {
			c.kept += len(c.cur)
			c.instr = append(c.instr, instruction{c.lineNo, string(c.cur)})
		}
	}
	c.cur, c.skipping, c.tooLong = c.cur[:0], false, false
	c.lineNo++
}

func (c *capture) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// instructions returns the "cargo:" lines, the last one included when the
// stream did not end with a newline, or the first reason one was dropped.
func (c *capture) instructions() ([]instruction, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.cur) > 0 || c.tooLong {
		c.endLine()
	}
	return c.instr, c.err
}

// excerpt is what the report shows of the stream: all of it, or its start
// and its end with a line saying how much was left out between them.
func (c *capture) excerpt(name string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	tail := c.tail
	if len(tail) > ReportTail {
		tail = tail[len(tail)-ReportTail:]
	}
	dropped := c.total - int64(len(c.head)) - int64(len(tail))
	if dropped <= 0 {
		// Nothing was left out: the tail holds all that follows the head.
		return append(append([]byte(nil), c.head...), c.tail...)
	}
	var b bytes.Buffer
	b.Write(c.head)
	if !bytes.HasSuffix(c.head, []byte("\n")) {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "[... %d bytes of the script's %s left out ...]\n", dropped, name)
	b.Write(tail)
	return b.Bytes()
}

// Printable makes text from a script safe to print on a terminal (see
// textsafe.Printable).
func Printable(s string) string { return textsafe.Printable(s) }

// ControlChar returns the first control character of s and its byte
// offset, or ok false when s has none.
func ControlChar(s string) (r rune, offset int, ok bool) { return textsafe.ControlChar(s) }
