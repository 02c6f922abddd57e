package engine

import (
	"os"
	"unsafe"

	"github.com/tetratelabs/wazero/api"
	"golang.org/x/sys/unix"
)

// releasePages gives the pages of a run's memory back to the system while
// the memory itself stays valid. A run whose threads are parked forever in
// memory.atomic.wait keeps its memory referenced from their goroutines, so
// the garbage collector can never free it; this bounds what such a run
// leaves behind to address space. The pages read as zero afterwards, which
// nothing observes: the parked threads never run again.
//
// (A custom experimental.MemoryAllocator could unmap the memory instead,
// but wazero frees an allocator's memory when *any* instance importing it
// closes, which for a threaded guest is the first thread to end.)
func releasePages(mem api.Memory) {
	if mem == nil {
		return
	}
	buf, ok := mem.Read(0, mem.Size())
	if !ok || len(buf) == 0 {
		return
	}
	page := uintptr(os.Getpagesize())
	start := uintptr(0)
	if off := uintptr(unsafe.Pointer(unsafe.SliceData(buf))) % page; off != 0 {
		start = page - off
	}
	if start >= uintptr(len(buf)) {
		return
	}
	buf = buf[start:]
	buf = buf[:uintptr(len(buf))/page*page]
	if len(buf) > 0 {
		_ = unix.Madvise(buf, unix.MADV_DONTNEED)
	}
}
