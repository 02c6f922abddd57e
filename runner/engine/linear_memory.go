package engine

import (
	"sync"
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"
)

// reservingAllocator backs a run's memory (its module's own, or the one
// it imports) with address space reserved up to the memory's maximum when
// the run starts and made accessible as the guest grows it. wazero's
// default grows a memory by allocating a larger buffer and copying, which
// leaves every old buffer to the garbage collector (and with the collector
// off, as it is during non-interruptible guest code, keeps them all: a
// macro growing to a 1 GiB cap took the process to 5.9 GB), and it makes a
// shared memory a Go allocation of its maximum, zeroed on each run. Here a
// memory never moves or copies, the process holds only the pages the guest
// touched, and reserving is cheap however large the maximum.
//
// wazero frees a memory when any instance using it closes: a thread's
// proc_exit closes its instance while other threads still run on the
// memory, and an instantiation that fails after making its memory frees
// nothing. So Free does nothing, and the run releases every memory its
// allocator made once its threads have left guest code (release).
type reservingAllocator struct {
	mu   sync.Mutex
	mems []*reservedMemory
}

func (a *reservingAllocator) Allocate(_, max uint64) experimental.LinearMemory {
	if max == 0 {
		max = uint64(unix.Getpagesize()) // mmap refuses an empty mapping
	}
	m := &reservedMemory{max: max}
	mem, err := unix.Mmap(-1, 0, int(max), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		// Out of address space (a ulimit -v): on the heap instead.
		m.heap = true
	} else {
		m.mem = mem
		reservedBytes.Add(int64(len(mem)))
	}
	a.mu.Lock()
	a.mems = append(a.mems, m)
	a.mu.Unlock()
	return m
}

// release unmaps every memory the allocator made; when a thread of the
// run was abandoned in guest code (still computing), unmapping under it
// would crash the process, so the pages are given back to the system and
// the address space stays.
func (a *reservingAllocator) release(abandoned bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, m := range a.mems {
		m.release(abandoned)
	}
	a.mems = nil
}

// reservedMemory is one memory: mem[:accessible] is readable and
// writable; or, where the system would not reserve or commit, a Go
// allocation of the maximum (heap), which never moves either.
type reservedMemory struct {
	mem        []byte
	accessible int
	max        uint64
	heap       bool
}

// Reallocate makes the first size bytes accessible; nil when size is over
// the maximum, which the guest sees as a failed memory.grow.
func (m *reservedMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if m.heap {
		if m.mem == nil {
			m.mem = make([]byte, m.max)
		}
		return m.mem[:size:size]
	}
	if n := int(size); n > m.accessible {
		page := unix.Getpagesize()
		end := min((n+page-1)/page*page, len(m.mem))
		if err := unix.Mprotect(m.mem[m.accessible:end], unix.PROT_READ|unix.PROT_WRITE); err != nil {
			if m.accessible > 0 {
				return nil
			}
			// Strict overcommit refused the first commit: the heap.
			_ = unix.Munmap(m.mem)
			reservedBytes.Add(-int64(len(m.mem)))
			m.mem, m.heap = nil, true
			return m.Reallocate(size)
		}
		m.accessible = end
	}
	return m.mem[:size:size]
}

// Free does nothing: see reservingAllocator.
func (m *reservedMemory) Free() {}

func (m *reservedMemory) release(abandoned bool) {
	switch {
	case m.mem == nil || m.heap:
		m.mem = nil // the collector's, once nothing refers to it
	case abandoned:
		_ = unix.Madvise(m.mem[:m.accessible], unix.MADV_DONTNEED)
	default:
		_ = unix.Munmap(m.mem)
		reservedBytes.Add(-int64(len(m.mem)))
		m.mem = nil
	}
}

// reservedBytes is the address space reserved for memories and not yet
// released, for the tests.
var reservedBytes atomic.Int64
