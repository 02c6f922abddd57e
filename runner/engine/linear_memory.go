package engine

import (
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"
)

// reservingAllocator backs a module's own memory with address space
// reserved up to the memory's maximum when the run starts and made
// accessible as the guest grows it. wazero's default grows a memory by
// allocating a larger buffer and copying, which leaves every old buffer to
// the garbage collector (and with the collector off, as it is during
// non-interruptible guest code, keeps them all: a macro growing to a
// 1 GiB cap took the process to 5.9 GB). Here a memory never moves or
// copies, the process holds only the pages the guest touched, and
// reserving is cheap however large the maximum.
//
// Imported memories (wasi-threads programs) keep wazero's allocation:
// wazero frees an allocator's memory when any instance importing it
// closes, which for a threaded guest is its first thread to end.
type reservingAllocator struct {
	abandoned *atomic.Bool // the run's: see reservedMemory.Free
}

func (a *reservingAllocator) Allocate(_, max uint64) experimental.LinearMemory {
	if max == 0 {
		max = uint64(unix.Getpagesize()) // mmap refuses an empty mapping
	}
	mem, err := unix.Mmap(-1, 0, int(max), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		// Out of address space (a ulimit -v): wazero's way, on the heap.
		return &heapMemory{max: max}
	}
	return &reservedMemory{mem: mem, abandoned: a.abandoned}
}

// reservedMemory is one memory's reservation; mem[:accessible] is
// readable and writable.
type reservedMemory struct {
	mem        []byte
	accessible int
	abandoned  *atomic.Bool
}

// Reallocate makes the first size bytes accessible; nil when size is over
// the reservation or the system refuses, which the guest sees as a failed
// memory.grow.
func (m *reservedMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.mem)) {
		return nil
	}
	if n := int(size); n > m.accessible {
		page := unix.Getpagesize()
		end := (n + page - 1) / page * page
		if end > len(m.mem) {
			end = len(m.mem)
		}
		if err := unix.Mprotect(m.mem[m.accessible:end], unix.PROT_READ|unix.PROT_WRITE); err != nil {
			return nil
		}
		m.accessible = end
	}
	return m.mem[:size:size]
}

// Free unmaps the memory, unless a thread of the run was abandoned in
// guest code: unmapping under running code would crash the process, so
// the pages are given back to the system and the address space stays.
func (m *reservedMemory) Free() {
	if m.mem == nil {
		return
	}
	if m.abandoned.Load() {
		_ = unix.Madvise(m.mem[:m.accessible], unix.MADV_DONTNEED)
		return
	}
	_ = unix.Munmap(m.mem)
	m.mem = nil
}

// heapMemory grows on the Go heap, copying, as wazero does by default.
type heapMemory struct {
	buf []byte
	max uint64
}

func (m *heapMemory) Reallocate(size uint64) []byte {
	if size > m.max {
		return nil
	}
	if size > uint64(cap(m.buf)) {
		buf := make([]byte, size, min(max(size, 2*uint64(cap(m.buf))), m.max))
		copy(buf, m.buf)
		m.buf = buf
	}
	m.buf = m.buf[:size]
	return m.buf
}

func (m *heapMemory) Free() { m.buf = nil }
