package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

// TestTimeoutCoversTheStartFunction: a start function runs while the
// instance is made; the run's timeout must already apply.
func TestTimeoutCoversTheStartFunction(t *testing.T) {
	e := newEngine(t, Config{Interruptible: true})
	m := compile(t, e, wasmtest.Wat(t, "start_loops"))
	done := make(chan error, 1)
	go func() {
		_, err := m.Run(context.Background(), RunConfig{Timeout: 300 * time.Millisecond})
		done <- err
	}()
	select {
	case err := <-done:
		var timeout *TimeoutError
		if !errors.As(err, &timeout) {
			t.Fatalf("got %v, want a timeout", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the run did not end: the start function ran outside the timeout")
	}
}

func TestRefuseStartFunction(t *testing.T) {
	e := newEngine(t, Config{RefuseStartFunction: true})
	_, err := e.CompileFile(context.Background(), wasmtest.Wat(t, "start_loops"))
	if err == nil || !strings.Contains(err.Error(), "has a start function") {
		t.Fatalf("got %v", err)
	}
}

// TestThreadsNeedASharedMemory: wasi-threads' threads share an imported
// memory; with a memory of its own each thread would get another one,
// outside the cap.
func TestThreadsNeedASharedMemory(t *testing.T) {
	e := newEngine(t, Config{})
	_, err := e.CompileFile(context.Background(), wasmtest.Wat(t, "spawn_own_memory"))
	if err == nil || !strings.Contains(err.Error(), "no shared memory") {
		t.Fatalf("got %v", err)
	}
}

func TestRefuseThreads(t *testing.T) {
	e := newEngine(t, Config{RefuseThreads: true})
	_, err := e.CompileFile(context.Background(), wasmtest.Wat(t, "spawn_many"))
	if err == nil || !strings.Contains(err.Error(), "imports wasi.thread-spawn, which the runner refuses") {
		t.Fatalf("got %v", err)
	}
}

func TestMaxThreads(t *testing.T) {
	for max, refused := range map[int]uint32{0: 0, 2: 3} {
		e := newEngine(t, Config{MaxThreads: max})
		m := compile(t, e, wasmtest.Wat(t, "spawn_many"))
		code, _, err := runIn(t, m, t.TempDir())
		if err != nil || code != refused {
			t.Errorf("MaxThreads %d: exit %d, %v; want %d spawns refused", max, code, err, refused)
		}
	}
}

// TestMemoryIsReleasedWhenInstantiationFails: wazero makes a module's
// memory, then fails on a data segment and frees nothing; the run
// releases what its allocator reserved all the same.
func TestMemoryIsReleasedWhenInstantiationFails(t *testing.T) {
	e := newEngine(t, Config{Interruptible: true})
	m := compile(t, e, wasmtest.Wat(t, "data_out_of_bounds"))
	before := reservedBytes.Load()
	for i := 0; i < 3; i++ {
		if _, err := m.Run(context.Background(), RunConfig{}); err == nil || !strings.Contains(err.Error(), "instantiating") {
			t.Fatalf("run %d: got %v, want a failed instantiation", i, err)
		}
	}
	if left := reservedBytes.Load() - before; left != 0 {
		t.Errorf("%d bytes of address space stay reserved after the runs", left)
	}
}
