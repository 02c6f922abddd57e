package macroexpand

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// Expander runs the expansions of a set of modules, each in a fresh
// instance of its module, compiled once.
type Expander struct {
	eng     *Engine
	world   World
	mu      sync.Mutex
	modules map[string]*Module // by key
}

// NewExpander serves the modules with eng, under its Limits, each
// expansion in world.
func NewExpander(eng *Engine, world World, modules []*Module) (*Expander, error) {
	x := &Expander{eng: eng, world: world, modules: map[string]*Module{}}
	for _, m := range modules {
		if old, dup := x.modules[m.Key]; dup && old.Path != m.Path {
			return nil, fmt.Errorf("wasm proc macros %s and %s have one key, %s", old.Path, m.Path, m.Key)
		}
		x.modules[m.Key] = m
	}
	return x, nil
}

// Response is the outcome of one expansion.
type Response struct {
	Status  byte
	Stdout  []byte // what the macro printed, for the host to print
	Payload []byte // StatusOK: the guest's response
	Message string // StatusPanic, StatusFailed
}

// Expand runs one expansion of the module with key: request is the guest
// request (see the README of proc_macro_wasm). Failures are Responses, never
// errors: the compile, or the editor, reports them and goes on.
func (x *Expander) Expand(ctx context.Context, key string, request []byte) Response {
	x.mu.Lock()
	m := x.modules[key]
	x.mu.Unlock()
	kind, name, ok := requested(request)
	if !ok {
		return failed("a malformed request for key %q", key)
	}
	what := fmt.Sprintf("%s macro %s", kind, name)
	if m == nil {
		return failed("no wasm proc macro module with key %q was given to this compile (for %s)", key, what)
	}
	if !m.Declares(kind, name) {
		return failed("%s declares no %s", m.Path, what)
	}
	what = m.Path + ": " + what
	mod, err := m.compile(ctx, x.eng)
	if err != nil {
		return failed("%s: %v", what, err)
	}
	stdout := cappedBuffer{max: x.eng.limits.maxStdoutBytes()}
	cfg := x.eng.runConfig(x.world, m.Path, Entry(kind, name))
	cfg.Stdin = bytes.NewReader(request)
	cfg.Stdout = &stdout
	code, err := mod.Run(ctx, cfg)
	if stdout.over {
		return failed("%s printed more than %s, its output included (half its memory cap, %s at most)", what, mib(uint64(stdout.max)), mib(maxStdoutCeiling))
	}
	user, payload, framed := splitFrame(stdout.Bytes())
	if framed && len(payload) > 0 && payload[0] == StatusPanic {
		msg, ok := panicMessage(payload[1:])
		if !ok {
			return failed("%s panicked and its panic message is malformed", what)
		}
		return Response{Status: StatusPanic, Stdout: user, Message: msg}
	}
	var timeout *engine.TimeoutError
	var trap *engine.TrapError
	switch {
	case errors.As(err, &timeout):
		return failed("%s did not finish within %v, the macro timeout (stopped)", what, timeout.After)
	case errors.As(err, &trap):
		return failed("%s trapped: %s (its memory had grown to %s of the %d MiB memory cap)",
			what, trap.Trap+inFunction(trap.Function), mib(trap.MemoryBytes), x.eng.limits.MaxMemoryMiB)
	case err != nil:
		return failed("%s: %v", what, err)
	case code != 0:
		return failed("%s exited with status %d", what, code)
	case !framed || len(payload) == 0 || payload[0] != StatusOK:
		// The entry the attribute macros generate always answers when it
		// returns: the process was ended under it.
		return failed("%s ended without a response, with exit status 0: the macro ended the process (std::process::exit), or %s is not a wasm proc-macro module built by rules_rustc_wasm", what, m.Path)
	}
	return Response{Status: StatusOK, Stdout: user, Payload: payload}
}

// mib formats a size in MiB, to a tenth.
func mib(n uint64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }

func inFunction(f string) string {
	if f == "" {
		return ""
	}
	return " in " + f
}

func failed(format string, args ...interface{}) Response {
	return Response{Status: StatusFailed, Message: fmt.Sprintf(format, args...)}
}

// cappedBuffer keeps at most max bytes and notes when there was more.
type cappedBuffer struct {
	bytes.Buffer
	max  int
	over bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	if c.Len()+len(p) > c.max {
		c.over = true
		return 0, errors.New("too much output")
	}
	return c.Buffer.Write(p)
}
