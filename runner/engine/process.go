package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"
)

// RunConfig is what one run of a module sees.
type RunConfig struct {
	wasi.Config
	// Timeout ends the run with a *TimeoutError after this long; 0: none.
	Timeout time.Duration
	// Entry is the exported function, of no parameters and no results,
	// that runs the program: "" is _start. A module's _initialize, if it
	// exports one, runs first.
	Entry string
}

// TrapError reports a trap in a guest thread.
type TrapError struct {
	Module string
	Thread int32  // 0 for the main thread
	Trap   string // such as "unreachable" or "integer divide by zero"
	// Function is the wasm function that trapped, from the name section;
	// "" when wazero gives no stack (it gives none for a stack overflow).
	Function string
	Stack    []string
	// MemoryBytes is the size the guest's memory had grown to when it
	// trapped: next to the memory cap, it tells a failed allocation.
	MemoryBytes uint64
}

func (t *TrapError) Error() string {
	where := "the main thread"
	if t.Thread != 0 {
		where = fmt.Sprintf("thread %d", t.Thread)
	}
	if t.Function == "" {
		return fmt.Sprintf("%s trapped in %s: %s (wazero reports no wasm stack for this trap)", t.Module, where, t.Trap)
	}
	return fmt.Sprintf("%s trapped in %s: %s in function %s", t.Module, where, t.Trap, t.Function)
}

// TimeoutError reports a run stopped by RunConfig.Timeout.
type TimeoutError struct {
	Module string
	After  time.Duration
}

func (t *TimeoutError) Error() string {
	return fmt.Sprintf("%s did not finish within %v", t.Module, t.After)
}

// drainGrace is how long a finished run waits for its threads to leave
// guest code. Running code stops at its next call or loop iteration, and
// host calls refuse to start once the run is over; a thread still there
// after this waits in memory.atomic.wait, which nothing wakes, and is
// abandoned: its instance is closed and its memory's pages are given back
// to the system, its address space kept (reservingAllocator.release).
var drainGrace = 100 * time.Millisecond

// process is one run of a module: the guest process, its thread
// instances and how it ended.
type process struct {
	m      *Module
	ctx    context.Context // carries the WASI state; canceled when the run ends
	cancel context.CancelFunc

	instCtx context.Context // instantiation: import resolver, allocator
	alloc   *reservingAllocator

	once sync.Once
	done chan struct{}
	code uint32
	err  error

	mu        sync.Mutex
	instances []api.Module
	nextTid   atomic.Int32
	threads   sync.WaitGroup
}

// finish records how the run ended; the first outcome wins. It stops every
// thread still running.
func (r *process) finish(code uint32, err error) {
	r.once.Do(func() {
		r.code, r.err = code, err
		close(r.done)
		r.cancel()
	})
}

// threadEnded interprets how a thread's call returned.
func (r *process) threadEnded(tid int32, err error) {
	if err == nil {
		if tid == 0 {
			r.finish(0, nil) // _start returned: the process ends
		}
		return
	}
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		code := exit.ExitCode()
		if r.ctx.Err() != nil && (code == sys.ExitCodeContextCanceled || code == sys.ExitCodeDeadlineExceeded) {
			return // stopped because the run was already over
		}
		r.finish(code, nil) // proc_exit on any thread ends the process
		return
	}
	if r.ctx.Err() != nil {
		return
	}
	t := trapError(r.m.name, r.m.compiled.Name(), tid, err)
	t.MemoryBytes = r.memoryBytes()
	r.finish(0, t)
}

// memoryBytes is the size of the run's memory: the main instance's own,
// or the one its instances import.
func (r *process) memoryBytes() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.instances) == 0 {
		return 0
	}
	if mem := r.instances[0].Memory(); mem != nil {
		return uint64(mem.Size())
	}
	return 0
}

// trapError turns wazero's "wasm error: ...\nwasm stack trace:\n\t..." into
// a TrapError.
// nameSection is the module name the name section gives, which wazero puts
// before each function name.
func trapError(module, nameSection string, tid int32, err error) *TrapError {
	t := &TrapError{Module: module, Thread: tid}
	lines := strings.Split(err.Error(), "\n")
	t.Trap = strings.TrimPrefix(lines[0], "wasm error: ")
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if l == "" || l == "wasm stack trace:" {
			continue
		}
		t.Stack = append(t.Stack, l)
	}
	if len(t.Stack) > 0 {
		t.Function = t.Stack[0]
		if i := strings.IndexByte(t.Function, '('); i > 0 {
			t.Function = t.Function[:i]
		}
		t.Function = strings.TrimPrefix(t.Function, nameSection+".")
	}
	return t
}

// spawn implements wasi.thread-spawn for this process. It returns the new
// thread's id, or a negated WASI errno.
func (r *process) spawn(startArg uint32) int32 {
	tid := r.nextTid.Add(1)
	if tid <= 0 || tid > 0x1FFFFFFF {
		return -int32(wasi.ErrnoAgain) // thread ids are exhausted
	}
	if max := r.m.e.cfg.MaxThreads; max > 0 && int(tid) > max {
		return -int32(wasi.ErrnoAgain) // the engine's bound
	}
	if r.ctx.Err() != nil {
		return -int32(wasi.ErrnoAgain)
	}
	inst, err := r.instantiate()
	if err != nil {
		return -int32(wasi.ErrnoNomem)
	}
	fn := inst.ExportedFunction("wasi_thread_start")
	if fn == nil {
		r.finish(0, fmt.Errorf("%s calls thread-spawn but exports no wasi_thread_start", r.m.name))
		return -int32(wasi.ErrnoInval)
	}
	r.threads.Add(1)
	r.m.e.enterGuest()
	go func() {
		defer r.threads.Done()
		_, err := fn.Call(r.ctx, uint64(tid), uint64(startArg))
		r.m.e.leaveGuest()
		r.threadEnded(tid, err)
	}()
	return tid
}

// instantiate makes one more instance of the guest for this run: anonymous,
// without start functions, its memory import served by the run's memory.
func (r *process) instantiate() (api.Module, error) {
	inst, err := r.m.e.rt.InstantiateModule(r.instCtx, r.m.compiled,
		wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.instances = append(r.instances, inst)
	r.mu.Unlock()
	return inst, nil
}

type processKey struct{}

func processFrom(ctx context.Context) *process {
	r, _ := ctx.Value(processKey{}).(*process)
	return r
}

// instantiateThreads adds the "wasi" module with thread-spawn.
func instantiateThreads(ctx context.Context, rt wazero.Runtime) error {
	_, err := rt.NewHostModuleBuilder("wasi").NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, _ api.Module, stack []uint64) {
			r := processFrom(ctx)
			if r == nil || ctx.Err() != nil {
				panic(sys.NewExitError(sys.ExitCodeContextCanceled))
			}
			stack[0] = uint64(uint32(r.spawn(uint32(stack[0]))))
		}), []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export("thread-spawn").Instantiate(ctx)
	return err
}

// Run runs the module's _start to the end of the process and returns its
// exit code. A trap gives a *TrapError, a timeout a *TimeoutError, a
// canceled ctx its error; a run never exits the host process.
func (m *Module) Run(ctx context.Context, cfg RunConfig) (uint32, error) {
	st, err := wasi.NewState(cfg.Config)
	if err != nil {
		return 0, err
	}
	r := &process{m: m, done: make(chan struct{}), alloc: &reservingAllocator{}}
	r.ctx, r.cancel = context.WithCancel(context.WithValue(wasi.WithState(context.Background(), st), processKey{}, r))
	defer r.cancel()
	// The timeout covers making the instances too: a start function runs
	// then (an interruptible engine stops it when the run ends).
	if cfg.Timeout > 0 {
		t := time.AfterFunc(cfg.Timeout, func() { r.finish(0, &TimeoutError{Module: m.name, After: cfg.Timeout}) })
		defer t.Stop()
	}
	stop := context.AfterFunc(ctx, func() { r.finish(0, ctx.Err()) })
	defer stop()

	var memory api.Module
	withAlloc := experimental.WithMemoryAllocator(r.ctx, r.alloc)
	r.instCtx = withAlloc
	if m.memory != nil {
		memory, err = m.e.rt.InstantiateModule(withAlloc, m.memory, wazero.NewModuleConfig().WithName(""))
		if err != nil {
			r.cleanup(nil, st)
			return 0, fmt.Errorf("%s: creating its memory: %w", m.name, err)
		}
		r.instCtx = experimental.WithImportResolver(withAlloc, func(name string) api.Module {
			if name == m.memoryModule {
				return memory
			}
			return nil
		})
	}
	main, err := r.instantiate()
	if err != nil {
		r.cleanup(memory, st)
		select {
		case <-r.done:
			return 0, r.err // the timeout or ctx ended it
		default:
		}
		return 0, fmt.Errorf("instantiating %s: %w", m.name, err)
	}

	entry := cfg.Entry
	if entry == "" {
		entry = "_start"
	}
	fn := main.ExportedFunction(entry)
	if fn == nil || len(fn.Definition().ParamTypes()) != 0 || len(fn.Definition().ResultTypes()) != 0 {
		r.cleanup(memory, st)
		return 0, fmt.Errorf("%s exports no function %q without parameters and results", m.name, entry)
	}
	init := main.ExportedFunction("_initialize")
	r.threads.Add(1)
	m.e.enterGuest()
	go func() {
		defer r.threads.Done()
		var err error
		if init != nil && entry != "_start" {
			_, err = init.Call(r.ctx)
		}
		if err == nil {
			_, err = fn.Call(r.ctx)
		}
		m.e.leaveGuest()
		r.threadEnded(0, err)
	}()
	<-r.done
	r.cleanup(memory, st)
	return r.code, r.err
}

// cleanup waits for the run's threads to leave guest code, then closes the
// instances, the memory and the WASI state, and releases the memory.
func (r *process) cleanup(memory api.Module, st *wasi.State) {
	drained := make(chan struct{})
	go func() { r.threads.Wait(); close(drained) }()
	abandoned := false
	select {
	case <-drained:
	case <-time.After(drainGrace):
		abandoned = true
	}
	defer r.alloc.release(abandoned)
	bg := context.Background()
	r.mu.Lock()
	for _, inst := range r.instances {
		inst.Close(bg)
	}
	r.mu.Unlock()
	if memory != nil {
		memory.Close(bg)
	}
	st.Close()
}
