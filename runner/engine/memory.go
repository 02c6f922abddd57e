package engine

import (
	"sync/atomic"

	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"
)

// runMemory backs a run's shared memory with an anonymous mapping of its
// maximum size (a shared memory never moves), so that the run can give the
// pages back to the system when it ends, whatever its threads still hold.
type runMemory struct {
	buf []byte
	// parked is set when a thread of the run never returned (it waits in
	// memory.atomic.wait, which nothing will wake): the mapping must then
	// stay valid, and only its pages are released.
	parked *atomic.Bool
	heap   bool
}

func newAllocator(parked *atomic.Bool) experimental.MemoryAllocator {
	return experimental.MemoryAllocatorFunc(func(capacity, max uint64) experimental.LinearMemory {
		buf, err := unix.Mmap(-1, 0, int(max), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
		if err != nil {
			// No address space for the reservation: fall back to the Go heap.
			return &runMemory{buf: make([]byte, max), parked: parked, heap: true}
		}
		return &runMemory{buf: buf, parked: parked}
	})
}

func (m *runMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	return m.buf[:size]
}

func (m *runMemory) Free() {
	if m.heap || m.buf == nil {
		m.buf = nil
		return
	}
	if m.parked.Load() {
		_ = unix.Madvise(m.buf, unix.MADV_DONTNEED)
	} else {
		_ = unix.Munmap(m.buf)
	}
	m.buf = nil
}
