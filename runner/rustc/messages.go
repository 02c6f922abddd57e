package rustc

// rustc's messages. A native rustc runs with --error-format=json
// --json=artifacts, always: the runner learns from its artifact
// notifications when the .rmeta is written (pipelined compilation, see
// Request.StopAfterMetadata), and prints each diagnostic's "rendered"
// text, which is what rustc prints without the flags. The flags go on
// every native compile, pipelined or not, because rustc hashes
// --json=artifacts into the crate's metadata (rustc 1.63 and 1.96): a
// crate compiled with them and one without are different crates to their
// dependents, and outputs must be the same bytes either way.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
)

// messageFlags are what the runner adds to a native rustc's arguments.
var messageFlags = []string{"--error-format=json", "--json=artifacts"}

// checkNoMessageFlags refuses arguments that choose rustc's message format
// themselves (rustc_flags, a build script's flags): rustc takes each of
// these options once, and the runner's must be the ones it gets.
func checkNoMessageFlags(args []string) error {
	for _, a := range args {
		for _, opt := range []string{"--error-format", "--json"} {
			if a == opt || strings.HasPrefix(a, opt+"=") {
				return fmt.Errorf("rustc argument %q: the runner sets rustc's message format (%s) to read what rustc writes; leave %s out of rustc_flags", a, strings.Join(messageFlags, " "), opt)
			}
		}
	}
	return nil
}

// message is one line of rustc's JSON output: a diagnostic or an
// artifact notification. rustc 1.63 writes no "$message_type".
type message struct {
	Type     string  `json:"$message_type"`
	Artifact string  `json:"artifact"`
	Emit     string  `json:"emit"`
	Level    string  `json:"level"`
	Rendered *string `json:"rendered"`
}

// messageRelay is rustc's stderr: it writes each diagnostic's rendered
// text to out, and any line that is not one of rustc's JSON messages (a
// panic, a backtrace, what a proc macro printed) as it came. It calls
// onMetadata, once, when rustc reports the .rmeta written.
type messageRelay struct {
	out io.Writer
	// noWarnings drops warnings: the full action of a pipelined pair
	// leaves them to the metadata action, which reports them once.
	noWarnings bool
	// stopAtMetadata ends the relay at the .rmeta's notification: what
	// rustc writes after it, before it is stopped, is the full action's.
	stopAtMetadata bool
	onMetadata     func()

	mu       sync.Mutex
	partial  []byte
	metadata bool
}

// Write takes what rustc wrote to stderr, line by line.
func (r *messageRelay) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.partial = append(r.partial, p...)
	for {
		i := bytes.IndexByte(r.partial, '\n')
		if i < 0 {
			break
		}
		line := r.partial[:i+1]
		r.partial = r.partial[i+1:]
		r.line(line)
	}
	// The slice's array would otherwise grow with everything written.
	r.partial = append([]byte(nil), r.partial...)
	return len(p), nil
}

// Close handles a last line without a newline.
func (r *messageRelay) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.partial) > 0 {
		r.line(r.partial)
		r.partial = nil
	}
}

// done reports whether the relay has ended (stopAtMetadata).
func (r *messageRelay) done() bool { return r.stopAtMetadata && r.metadata }

// MetadataWritten reports whether rustc said it wrote the .rmeta.
func (r *messageRelay) MetadataWritten() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.metadata
}

func (r *messageRelay) line(line []byte) {
	if r.done() {
		return
	}
	var m message
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 || trimmed[0] != '{' || json.Unmarshal(trimmed, &m) != nil {
		r.out.Write(line)
		return
	}
	switch {
	case m.Artifact != "" && m.Emit != "" && (m.Type == "" || m.Type == "artifact"):
		if m.Emit == "metadata" && !r.metadata {
			r.metadata = true
			if r.onMetadata != nil {
				r.onMetadata()
			}
		}
	case m.Rendered != nil && (m.Type == "" || m.Type == "diagnostic"):
		if r.noWarnings && m.Level == "warning" {
			return
		}
		io.WriteString(r.out, *m.Rendered)
	default:
		r.out.Write(line)
	}
}
