package macroexpand

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// hostile describes a hand-made macro module declaring the bang macro x.
type hostile struct {
	body  []byte // x's code, locals included
	start bool   // x is also the start function
	table []byte // a table section's body, if any
}

// binary assembles the module, with the sections that make it one of ours.
func (h hostile) binary() []byte {
	b := []byte("\x00asm\x01\x00\x00\x00")
	section := func(id byte, body []byte) {
		b = append(b, id)
		b = appendULEB(b, uint64(len(body)))
		b = append(b, body...)
	}
	section(1, []byte{1, 0x60, 0, 0}) // one type: [] -> []
	section(3, []byte{1, 0})          // one function of it
	if h.table != nil {
		section(4, h.table)
	}
	section(5, []byte{1, 0, 1}) // a memory of one page
	entry := Entry(macrobuild.KindBang, "x")
	exports := []byte{2}
	exports = appendULEB(exports, uint64(len(entry)))
	exports = append(append(exports, entry...), 0, 0)
	exports = append(append(exports, 6), "memory"...)
	exports = append(exports, 2, 0)
	section(7, exports)
	if h.start {
		section(8, []byte{0})
	}
	code := appendULEB([]byte{1}, uint64(len(h.body)))
	section(10, append(code, h.body...))
	custom := func(name, text string) {
		body := appendULEB(nil, uint64(len(name)))
		section(0, append(append(body, name...), text...))
	}
	custom(macrobuild.KeySection, macrobuild.FormatKey("hostile-0123456789abcdef"))
	custom(macrobuild.DeclsSection, "bang:x:x\n")
	return b
}

func appendULEB(b []byte, v uint64) []byte {
	for {
		c := byte(v & 0x7f)
		if v >>= 7; v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

var (
	loopForever = []byte{0, 0x03, 0x40, 0x0c, 0, 0x0b, 0x0b} // loop br 0 end
	justReturn  = []byte{0, 0x0b}
)

// nested is a body of depth nested empty blocks.
func nested(depth int) []byte {
	b := []byte{0}
	b = append(b, bytes.Repeat([]byte{0x02, 0x40}, depth)...)
	return append(b, bytes.Repeat([]byte{0x0b}, depth+1)...)
}

// expandHostile expands x of h under limits.
func expandHostile(t *testing.T, h hostile, limits Limits) Response {
	t.Helper()
	path := filepath.Join(t.TempDir(), "libhostile.wasm")
	if err := os.WriteFile(path, h.binary(), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := ReadModule(path)
	if err != nil {
		t.Fatal(err)
	}
	return newExpander(t, limits, World{}, m).Expand(context.Background(), m.Key, bangRequest("x"))
}

func TestSandboxRefusesStartFunctions(t *testing.T) {
	r := expandHostile(t, hostile{body: loopForever, start: true}, Limits{Timeout: time.Second})
	if r.Status != StatusFailed || !strings.Contains(r.Message, "has a start function") {
		t.Fatalf("status %d, message %q", r.Status, r.Message)
	}
}

func TestSandboxBoundsTables(t *testing.T) {
	for name, table := range map[string][]byte{
		"no maximum":   {1, 0x70, 0, 1},                                          // funcref, min 1
		"over the cap": append([]byte{1, 0x70, 1, 1}, appendULEB(nil, 1<<21)...), // max 2M
	} {
		r := expandHostile(t, hostile{body: justReturn, table: table}, Limits{})
		if r.Status != StatusFailed || !strings.Contains(r.Message, "table") {
			t.Errorf("%s: status %d, message %q", name, r.Status, r.Message)
		}
	}
	// A table with a modest maximum, as rustc makes, passes that check
	// (the module then fails for not answering, which is not the point).
	r := expandHostile(t, hostile{body: justReturn, table: []byte{1, 0x70, 1, 1, 16}}, Limits{})
	if strings.Contains(r.Message, "table") {
		t.Errorf("a bounded table was refused: %q", r.Message)
	}
}

// TestSandboxGivesUpOnSlowCompiles: compiling is superlinear in how deeply
// blocks nest; the timeout bounds it.
func TestSandboxGivesUpOnSlowCompiles(t *testing.T) {
	start := time.Now()
	r := expandHostile(t, hostile{body: nested(40000)}, Limits{Timeout: 300 * time.Millisecond})
	if r.Status != StatusFailed || !strings.Contains(r.Message, "compiling the module took longer than 300ms") {
		t.Fatalf("status %d, message %q", r.Status, r.Message)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("giving up took %v", d)
	}
}

// TestSandboxKeepsTheCollectorOn: macro code is interruptible, so the
// garbage collector need not be off while it runs (off, every old copy of
// a growing memory stayed until the process ended).
func TestSandboxKeepsTheCollectorOn(t *testing.T) {
	var during int
	var once sync.Once
	go func() {
		time.Sleep(300 * time.Millisecond)
		once.Do(func() { during = debug.SetGCPercent(100); debug.SetGCPercent(during) })
	}()
	r := expandHostile(t, hostile{body: loopForever}, Limits{Timeout: time.Second})
	if !strings.Contains(r.Message, "did not finish within 1s, the macro timeout") {
		t.Fatalf("status %d, message %q", r.Status, r.Message)
	}
	if during < 0 {
		t.Errorf("the garbage collector was off (GC percent %d) while a macro ran", during)
	}
}

// TestSandboxRefusesLimitsNoEngineCanEnforce: NewEngine checks its Limits
// itself, returning an error, not panicking: a memory cap over 4096 MiB
// made the engine's page limit panic, and 1<<28 MiB wrapped the page count
// to 0, no cap at all.
func TestSandboxRefusesLimitsNoEngineCanEnforce(t *testing.T) {
	for _, l := range []Limits{
		{MaxMemoryMiB: MaxMemoryMiB + 1},
		{MaxMemoryMiB: 1 << 28},
		{MaxMemoryMiB: 1<<32 - 1},
		{Timeout: -time.Second},
	} {
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%+v: NewEngine panicked: %v", l, r)
				}
			}()
			eng, err := NewEngine(context.Background(), engine.Config{}, l)
			if err == nil {
				eng.Close(context.Background())
				t.Errorf("%+v: NewEngine made an engine", l)
			} else if l.Validate() == nil {
				t.Errorf("%+v: Validate passes what NewEngine refuses (%v)", l, err)
			}
		}()
	}
	for _, l := range []Limits{{}, {MaxMemoryMiB: 1}, {MaxMemoryMiB: MaxMemoryMiB, Timeout: time.Millisecond}} {
		if err := l.Validate(); err != nil {
			t.Errorf("%+v: %v", l, err)
		}
	}
}

// childEnv makes the test binary run one child body (see TestMain).
const childEnv = "RULES_RUSTC_WASM_SANDBOX_CHILD"

// runChild runs the child body name in a new process of this test binary
// and returns its stdout; a child that does not end within limit fails
// the test (a hang is the defect some children look for).
func runChild(t *testing.T, name string, limit time.Duration, env ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSandboxChild$")
	cmd.Env = append(append(os.Environ(), childEnv+"="+name), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("child %s did not end within %v (killed); stderr:\n%s", name, limit, stderr.String())
	}
	if err != nil {
		t.Fatalf("child %s: %v\nstdout:\n%s\nstderr:\n%s", name, err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// TestSandboxChild is the body of the children of runChild; run directly,
// it does nothing.
func TestSandboxChild(t *testing.T) {
	switch os.Getenv(childEnv) {
	case "":
		t.Skip("runs only as a child of another test")
	case "two-loops":
		// Two looping macros at once on one scheduler slot: each must
		// time out, and the process go on.
		runtime.GOMAXPROCS(1)
		var wg sync.WaitGroup
		for i := 0; i < 2; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := expandHostile(t, hostile{body: loopForever}, Limits{Timeout: 500 * time.Millisecond})
				fmt.Println(r.Message)
			}()
		}
		wg.Wait()
	case "grows":
		// The faults module's grows macro allocates 16 MiB blocks until
		// the cap stops it.
		x := expander(t, World{}, Limits{MaxMemoryMiB: uint32(childMiB(t, "CAP_MIB", 256))})
		r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("grows"))
		fmt.Println(r.Message)
		fmt.Println("peak-rss-kib", peakRSSKiB(t))
	case "echo-big":
		// An identifier of INPUT_MIB MiB through the echo macro: the
		// request, the guest's copies and the response.
		x := expander(t, World{}, Limits{})
		ident := strings.Repeat("a", childMiB(t, "INPUT_MIB", 100)<<20)
		r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("echo", ident))
		fmt.Println("status", r.Status, r.Message)
		fmt.Println("peak-rss-kib", peakRSSKiB(t))
	default:
		t.Fatalf("unknown child %q", os.Getenv(childEnv))
	}
}

// childMiB reads a size in MiB from the environment of a child.
func childMiB(t *testing.T, name string, def int) int {
	v := os.Getenv(childEnv + "_" + name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		t.Fatalf("%s_%s=%q: want a positive number", childEnv, name, v)
	}
	return n
}

// peakRSSKiB is this process's peak resident set (VmHWM).
func peakRSSKiB(t *testing.T) int {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return int(ru.Maxrss)
}

// TestSandboxStopsLoopsOnOneCPU: looping macros are stopped at their
// timeout however few scheduler slots the process has (GOMAXPROCS=1, a
// 1-CPU container): non-interruptible guest code would hold the slot, and
// the timer would never fire.
func TestSandboxStopsLoopsOnOneCPU(t *testing.T) {
	out := runChild(t, "two-loops", 30*time.Second)
	if n := strings.Count(out, "did not finish within 500ms, the macro timeout"); n != 2 {
		t.Fatalf("want two timeouts, got:\n%s", out)
	}
}

// TestSandboxBoundsTheProcessMemory: a macro growing to the memory cap
// takes the process to about the cap, not a multiple of it (wazero's own
// growth copies; the old copies piled up).
func TestSandboxBoundsTheProcessMemory(t *testing.T) {
	const capMiB, overheadMiB = 256, 160
	out := runChild(t, "grows", 5*time.Minute)
	if !strings.Contains(out, "memory cap") {
		t.Fatalf("the failure does not name the memory cap:\n%s", out)
	}
	_, rest, _ := strings.Cut(out, "peak-rss-kib ")
	line, _, _ := strings.Cut(rest, "\n")
	kib, err := strconv.Atoi(line)
	if err != nil {
		t.Fatalf("no peak in:\n%s", out)
	}
	t.Logf("peak RSS %d MiB at a cap of %d MiB", kib>>10, capMiB)
	if kib>>10 > 2*capMiB+overheadMiB {
		t.Errorf("peak RSS %d MiB; the cap is %d MiB (want at most 2 x cap + %d MiB)", kib>>10, capMiB, overheadMiB)
	}
}

// TestSandboxBoundsWhatAMacroPrints: what an expansion prints is held on the
// host, outside the memory cap; it may be half the cap.
func TestSandboxBoundsWhatAMacroPrints(t *testing.T) {
	x := expander(t, World{}, Limits{MaxMemoryMiB: 64})
	r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("floods"))
	if r.Status != StatusFailed || !strings.Contains(r.Message, "bang macro floods printed more than 32.0 MiB, its output included") {
		t.Fatalf("status %d, message %q", r.Status, r.Message)
	}
}
