package engine

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// Go cannot preempt a goroutine that runs compiled guest code, and every
// cycle of its garbage collector starts and ends by stopping all
// goroutines. A guest thread that computes without calling the host would
// hold such a stop, and with it every goroutine of the process, for as
// long as it computes: forever, for a spinning thread. So the collector is
// off while any goroutine is in guest code, and on again once none is.
// What the host allocates meanwhile (small: guest memories are allocated
// once per run) is collected after the run.
//
// Interruptible code exits to Go at every loop and call, where Go can
// stop it, so an interruptible engine leaves the collector on: a guest
// that grows its memory leaves the old copies to be collected, which keeps
// the process near the memory cap.
//
// A thread abandoned in guest code (a run that ended while it computed)
// keeps the collector off for the rest of the process. The runner's verbs
// exit after their run; the persistent worker's children retire when
// GuestThreads is not 0 after a request.

var guests struct {
	mu      sync.Mutex
	n       int // goroutines in guest code
	percent int // the GC percentage to restore
}

// enterGuest is called before a goroutine calls into guest code.
func (e *Engine) enterGuest() {
	if e.cfg.Interruptible {
		return
	}
	guests.mu.Lock()
	defer guests.mu.Unlock()
	if guests.n == 0 {
		// No goroutine is in guest code, so a cycle under way can finish.
		// SetGCPercent waits for its marking only; its last step, which
		// needs every goroutine at a safe point, comes after. Stopping the
		// world, which ReadMemStats does, waits for that step too.
		guests.percent = debug.SetGCPercent(-1)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
	}
	guests.n++
}

// leaveGuest is called when a goroutine's call into guest code returned.
func (e *Engine) leaveGuest() {
	if e.cfg.Interruptible {
		return
	}
	guests.mu.Lock()
	defer guests.mu.Unlock()
	guests.n--
	if guests.n == 0 {
		debug.SetGCPercent(guests.percent)
	}
}

// GuestThreads is the number of goroutines of this process in
// non-interruptible guest code:
// the threads of the runs under way, and those abandoned by runs that
// ended while they computed.
func GuestThreads() int {
	guests.mu.Lock()
	defer guests.mu.Unlock()
	return guests.n
}
