package wasi

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
	"golang.org/x/sys/unix"
)

// fuzzNames are the host functions in a fixed order: a fuzz input picks
// one by index.
var fuzzNames = func() []string {
	var names []string
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}()

// fuzzWorld is a directory with a file, a subdirectory and a link that
// stays inside, mounted three ways; and two pages of wazero memory.
func fuzzWorld(f *testing.F) (dir string, m api.Memory) {
	dir = f.TempDir()
	os.WriteFile(filepath.Join(dir, "file"), []byte("contents\n"), 0o644)
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "inner"), []byte("x"), 0o644)
	os.Symlink("file", filepath.Join(dir, "link"))
	return dir, newMemoryPages(f, 2)
}

// FuzzHostCalls calls one WASI host function with fuzzed parameters over
// fuzzed memory: every pointer, length and count a guest may pass. A call
// must return an errno, or end the thread as a WASI exit does; any other
// panic is a bug. The seed corpus (testdata/fuzz/FuzzHostCalls and the
// seeds below) runs in plain "go test".
func FuzzHostCalls(f *testing.F) {
	dir, m := fuzzWorld(f)
	// One call may move gigabytes (16,384 buffers of 128 KiB): cap the
	// files the calls make, so that each input stays quick. A write past
	// the cap is EFBIG (Go ignores SIGXFSZ). The cap is set in the process
	// that runs the calls (a fuzzing worker), not in the coordinator,
	// whose own files are larger.
	var old unix.Rlimit
	capped := false
	capFiles := func() {
		if !capped && unix.Getrlimit(unix.RLIMIT_FSIZE, &old) == nil {
			capped = unix.Setrlimit(unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: min(old.Cur, 4<<20), Max: old.Max}) == nil
		}
	}
	f.Cleanup(func() {
		if capped {
			unix.Setrlimit(unix.RLIMIT_FSIZE, &old)
		}
	})
	// Every function with zeros, with small pointers, and with the
	// counts of the issue.
	for i := range fuzzNames {
		f.Add(uint8(i), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), []byte{})
		f.Add(uint8(i), uint64(3), uint64(64), uint64(4), uint64(128), uint64(8), uint64(256), uint64(1), uint64(0), uint64(512),
			[]byte("\x00\x04\x00\x00\x04\x00\x00\x00file"))
		f.Add(uint8(i), uint64(1), uint64(0), uint64(0x20000000), uint64(0x5555556), uint64(0xFFFFFFFF), uint64(1<<63), uint64(0xFFFFFFF8), uint64(7), uint64(0x10000), []byte{0xff, 0xff, 0xff, 0xff})
	}
	f.Fuzz(func(t *testing.T, which uint8, p0, p1, p2, p3, p4, p5, p6, p7, p8 uint64, mem []byte) {
		capFiles()
		name := fuzzNames[int(which)%len(fuzzNames)]
		fn := functions[name]
		buf, _ := m.Read(0, m.Size())
		clear(buf)
		copy(buf, mem)
		s, err := NewState(Config{
			Args: []string{"prog", "arg"}, Env: []string{"A=1"}, Deterministic: true,
			Mounts: []Mount{
				{HostPath: dir, GuestPath: "/"},
				{HostPath: dir, GuestPath: "/ro", ReadOnly: true},
				{HostPath: dir, GuestPath: "/l", FollowHostLinks: true},
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		p := []uint64{p0, p1, p2, p3, p4, p5, p6, p7, p8}[:len(fn.types)]
		zeroExtend(fn.types, p)
		// A done context: a call that would wait ends the thread instead.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		errno := call(t, name, func() Errno { return fn.body(ctx, s, m, p) })
		if errno > ErrnoNotcapable {
			t.Fatalf("%s%v: errno %d is not a WASI errno", name, p, errno)
		}
	})
}

// call runs a host function body and fails the test on any panic but a
// thread's exit.
func call(t *testing.T, name string, body func() Errno) (errno Errno) {
	t.Helper()
	defer func() {
		if v := recover(); v != nil {
			if _, ok := v.(*sys.ExitError); ok {
				return
			}
			t.Fatalf("%s panicked: %v", name, v)
		}
	}()
	return body()
}

// newMemoryPages is newMemory with n pages.
func newMemoryPages(tb testing.TB, n int) api.Memory {
	tb.Helper()
	m := newMemory(tb)
	if _, ok := m.Grow(uint32(n - 1)); !ok {
		tb.Fatal(fmt.Errorf("cannot grow memory to %d pages", n))
	}
	return m
}
