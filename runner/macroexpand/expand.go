package macroexpand

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// Expander runs the expansions of a set of modules, each in a fresh
// instance of its module, compiled once.
type Expander struct {
	eng     *Engine
	world   World
	mu      sync.Mutex
	modules map[string]*Module // by key

	memo                              *Memo
	worldDigest                       func() ([]byte, error)
	memoHits, memoMisses, memoUnkeyed atomic.Int64
	expanding                         atomic.Int64 // nanoseconds in Expand, summed
}

// NewExpander serves the modules with eng, under its Limits, each
// expansion in world.
func NewExpander(eng *Engine, world World, modules []*Module) (*Expander, error) {
	x := &Expander{eng: eng, world: world, modules: map[string]*Module{}}
	x.worldDigest = sync.OnceValues(world.digest)
	for _, m := range modules {
		if old, dup := x.modules[m.Key]; dup && old.Path != m.Path {
			return nil, fmt.Errorf("wasm proc macros %s and %s have one key, %s", old.Path, m.Path, m.Key)
		}
		x.modules[m.Key] = m
	}
	return x, nil
}

// UseMemo makes x replay the expansions memo keeps and keep those it
// runs (memo.go). A world whose files the memo cannot name (not made by
// NewWorld), and an engine that allows threads (whose runs may differ by
// their schedule), run every expansion.
func (x *Expander) UseMemo(memo *Memo) { x.memo = memo }

// MemoStats are how many expansions x replayed from its Memo, how many it
// ran and kept there (or tried to), and how many it could not key.
func (x *Expander) MemoStats() (hits, misses, unkeyed int64) {
	return x.memoHits.Load(), x.memoMisses.Load(), x.memoUnkeyed.Load()
}

// ExpandTime is the wall time x spent in Expand, summed over its calls:
// the time expansion took, whether each ran or was replayed.
func (x *Expander) ExpandTime() time.Duration { return time.Duration(x.expanding.Load()) }

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
	defer func(start time.Time) { x.expanding.Add(int64(time.Since(start))) }(time.Now())
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
	mkey, memoize := x.memoKey(m, request)
	if x.memo != nil && !memoize {
		x.memoUnkeyed.Add(1)
	}
	if memoize {
		if e, hit := x.memo.get(mkey, x.world.root); hit {
			x.memoHits.Add(1)
			if x.world.Stderr != nil {
				x.world.Stderr.Write(e.stderr)
			}
			return e.resp
		}
		x.memoMisses.Add(1)
		stderr := &cappedBuffer{max: memoMaxStderr}
		world := x.world
		world.Stderr = recorder{to: x.world.Stderr, rec: stderr}
		named := wasi.NewStampingAudit()
		resp := x.run(ctx, m, kind, name, what, request, world, named)
		if resp.Status != StatusFailed && !stderr.over {
			// The digests are taken after the run: an expansion whose files
			// changed since it named them (an edit saved during the
			// compile), or that named what cannot be digested, is not kept.
			if files, err := filesSeen(x.world.root, named); err == nil && named.Unchanged() {
				x.memo.put(mkey, memoized{resp: resp, stderr: stderr.Bytes(), files: files})
			}
		}
		return resp
	}
	return x.run(ctx, m, kind, name, what, request, x.world, nil)
}

// memoKey is the key of an expansion of m in x.memo: everything the macro
// can observe but the files' contents, which its entry holds (memo.go).
// false: x keeps no memo, allows threads, or cannot key this world.
func (x *Expander) memoKey(m *Module, request []byte) (key [sha256.Size]byte, ok bool) {
	if x.memo == nil || x.eng.limits.Threads {
		return key, false
	}
	world, err := x.worldDigest()
	if err != nil {
		return key, false
	}
	runner, err := runnerDigest()
	if err != nil {
		return key, false
	}
	h := sha256.New()
	k := keyHash{h}
	k.part([]byte(memoFormat))
	k.part(runner)
	k.part(m.digest[:])
	// The name the module runs under (argv[0]) and everything of the
	// engine it runs in that a run can tell.
	k.part([]byte(argv0(m.Path)))
	k.part([]byte(fmt.Sprintf("%+v", x.eng.limits.withDefaults())))
	k.part(world)
	k.part(request)
	copy(key[:], h.Sum(nil))
	return key, true
}

// run runs one expansion of the macro kind/name of m (what names it in
// messages) in world; named, if not nil, records the paths it names.
func (x *Expander) run(ctx context.Context, m *Module, kind macrobuild.Kind, name, what string, request []byte, world World, named *wasi.Audit) Response {
	mod, err := m.compile(ctx, x.eng)
	if err != nil {
		return failed("%s: %v", what, err)
	}
	stdout := cappedBuffer{max: x.eng.limits.maxStdoutBytes()}
	cfg := x.eng.runConfig(world, m.Path, Entry(kind, name))
	cfg.Stdin = bytes.NewReader(request)
	cfg.Named = named
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

// recorder passes what a macro prints on to, and records it in rec, whose
// failure (it is full) the macro does not see.
type recorder struct {
	to  io.Writer
	rec io.Writer
}

func (r recorder) Write(p []byte) (int, error) {
	r.rec.Write(p)
	if r.to == nil {
		return len(p), nil
	}
	return r.to.Write(p)
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
