package wasi

import (
	"math"

	"github.com/tetratelabs/wazero/api"
)

// iovecArray is a guest's iovec array (fd_read, fd_write, fd_pread,
// fd_pwrite). Its entries are read from guest memory one at a time, so that
// a guest-chosen count costs the host no memory: a count of 0x20000000 is
// as cheap to refuse as a count of 2.
type iovecArray struct {
	m      api.Memory
	ptr, n uint32
}

// iovecs checks that the iovec array at ptr with n entries, and every
// buffer it describes, lie in memory: EFAULT if not. The sizes are
// computed in 64 bits, so nothing a guest passes can wrap around.
func iovecs(m api.Memory, ptr, n uint32) (iovecArray, Errno) {
	a := iovecArray{m: m, ptr: ptr, n: n}
	if !inMemory(m, ptr, uint64(n)*iovecSize) {
		return iovecArray{}, ErrnoFault
	}
	for i := uint32(0); i < n; i++ {
		if _, ok := a.buf(i); !ok {
			return iovecArray{}, ErrnoFault
		}
	}
	return a, ErrnoSuccess
}

// buf returns the i-th buffer: a view of guest memory, not a copy. It is
// read again at each call, so another thread may have changed it since
// iovecs checked it; it is checked again.
func (a iovecArray) buf(i uint32) ([]byte, bool) {
	at := a.ptr + i*iovecSize // no wrap: iovecs checked the array
	off, ok1 := a.m.ReadUint32Le(at)
	l, ok2 := a.m.ReadUint32Le(at + 4)
	if !ok1 || !ok2 {
		return nil, false
	}
	return a.m.Read(off, l)
}

// inMemory reports whether [ptr, ptr+size) lies in memory, computed so
// that no guest value can overflow.
func inMemory(m api.Memory, ptr uint32, size uint64) bool {
	return uint64(ptr)+size <= uint64(m.Size())
}

// maxTransfer is the most one read or write call moves: its count is
// returned to the guest as a u32.
const maxTransfer = math.MaxUint32

// clip shortens b so that total+len(b) stays within maxTransfer.
func clip(b []byte, total uint64) []byte {
	if room := maxTransfer - total; uint64(len(b)) > room {
		return b[:room]
	}
	return b
}
