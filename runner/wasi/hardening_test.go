package wasi

import (
	"context"
	"errors"
	"testing"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

// TestHugeCounts passes the counts of the issue: their sizes overflow 32
// bits. Each call must return an errno, never panic.
func TestHugeCounts(t *testing.T) {
	dir := t.TempDir()
	s := newState(t, Config{Args: []string{"prog"}, Mounts: []Mount{{HostPath: dir, GuestPath: "/"}}})
	m := newMemory(t)
	fd := openFile(t, s, m, "f", oflagCreat, 0)
	putIovecs(m, 64, [2]uint32{1000, 8})
	for _, c := range []struct {
		name string
		f    func(*State, api.Memory, []uint64) Errno
		p    []uint64
		want Errno
	}{
		{"fd_write", fdWrite, []uint64{1, 64, 0x20000000, 300}, ErrnoFault},
		{"fd_write at the end of memory", fdWrite, []uint64{1, uint64(m.Size() - 8), 2, 300}, ErrnoFault},
		{"fd_read", fdRead, []uint64{0, 64, 0x20000000, 300}, ErrnoFault},
		{"fd_pread", fdPread, []uint64{uint64(fd), 64, 0x20000000, 0, 300}, ErrnoFault},
		{"fd_pwrite", fdPwrite, []uint64{uint64(fd), 64, 0x20000000, 0, 300}, ErrnoFault},
		{"fd_pread at a negative offset", fdPread, []uint64{uint64(fd), 64, 1, 1 << 63, 300}, ErrnoInval},
		{"poll_oneoff", func(s *State, m api.Memory, p []uint64) Errno { return pollOneoff(context.Background(), s, m, p) },
			[]uint64{64, 64, 0x5555556, 300}, ErrnoInval},
		{"poll_oneoff's events past the end", func(s *State, m api.Memory, p []uint64) Errno { return pollOneoff(context.Background(), s, m, p) },
			[]uint64{64, uint64(m.Size() - 16), 1, 300}, ErrnoFault},
		{"path_open with a 2 GiB path", pathOpen, []uint64{3, 0, 0, 0x7fffffff, 0, 0, 0, 0, 300}, ErrnoFault},
		{"path_open with a long path", pathOpen, []uint64{3, 0, 0, maxPathLen + 1, 0, 0, 0, 0, 300}, ErrnoNametoolong},
		{"random_get past the end", randomGet, []uint64{uint64(m.Size() - 4), 8}, ErrnoFault},
		{"args_get past the end", argsGet, []uint64{0, uint64(m.Size() - 1)}, ErrnoFault},
	} {
		if got := c.f(s, m, c.p); got != c.want {
			t.Errorf("%s: errno %d, want %d", c.name, got, c.want)
		}
	}
}

// TestIovecCountsAreFree checks that a count as large as memory allows
// costs no host allocation per entry: 8191 empty buffers in one page.
func TestIovecCountsAreFree(t *testing.T) {
	s := newState(t, Config{})
	m := newMemory(t)
	n := m.Size()/iovecSize - 1
	allocs := testing.AllocsPerRun(5, func() {
		if errno := fdWrite(s, m, []uint64{1, 0, uint64(n), uint64(m.Size() - 4)}); errno != ErrnoSuccess {
			t.Fatalf("errno %d", errno)
		}
	})
	if allocs > 4 {
		t.Errorf("%v allocations for one fd_write of %d buffers", allocs, n)
	}
}

// TestHostPanicIsACleanTrap: a Go panic in a host function (a bug) ends
// the guest with a trap that names the function, without the runner's Go
// stack; a thread's exit passes through untouched.
func TestHostPanicIsACleanTrap(t *testing.T) {
	err := func() (err error) {
		defer func() { err, _ = recover().(error) }()
		defer contain("fd_write")
		var b []byte
		_ = b[3]
		return nil
	}()
	var he *HostError
	if !errors.As(err, &he) || he.Func != "fd_write" || err.Error() != "internal error in wasi_snapshot_preview1.fd_write: runtime error: index out of range [3] with length 0" {
		t.Fatalf("%T %v", err, err)
	}
	exit := func() (v any) {
		defer func() { v = recover() }()
		defer contain("proc_exit")
		panic(sys.NewExitError(3))
	}()
	if e, ok := exit.(*sys.ExitError); !ok || e.ExitCode() != 3 {
		t.Fatalf("%v", exit)
	}
}
