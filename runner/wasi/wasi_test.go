package wasi

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// memoryModule is a module that exports one memory page as "memory".
var memoryModule = []byte("\x00asm\x01\x00\x00\x00" +
	"\x05\x03\x01\x00\x01" + // memory section: one memory, at least one page
	"\x07\x0a\x01\x06memory\x02\x00") // export section: "memory", memory 0

// newMemory returns a real wazero memory of one page.
func newMemory(t testing.TB) api.Memory {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	t.Cleanup(func() { rt.Close(ctx) })
	mod, err := rt.Instantiate(ctx, memoryModule)
	if err != nil {
		t.Fatal(err)
	}
	return mod.Memory()
}

// newState opens a state with dir mounted at "/" (fd 3).
func newState(t *testing.T, cfg Config) *State {
	t.Helper()
	s, err := NewState(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// putIovecs writes an iovec array at ptr describing bufs, each given as
// (offset, length), and returns ptr.
func putIovecs(m api.Memory, ptr uint32, bufs ...[2]uint32) uint32 {
	for i, b := range bufs {
		m.WriteUint32Le(ptr+uint32(i)*iovecSize, b[0])
		m.WriteUint32Le(ptr+uint32(i)*iovecSize+4, b[1])
	}
	return ptr
}

func u32(m api.Memory, ptr uint32) uint32 {
	v, _ := m.ReadUint32Le(ptr)
	return v
}

func TestFdTable(t *testing.T) {
	dir := t.TempDir()
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/"}, {HostPath: dir, GuestPath: "/ro", ReadOnly: true}}})
	for fd, kind := range map[uint32]entryKind{0: kindStdin, 1: kindStdout, 2: kindStderr, 3: kindDir, 4: kindDir} {
		e, errno := s.get(fd)
		if errno != ErrnoSuccess || e.kind != kind {
			t.Errorf("fd %d: %v %v", fd, e, errno)
		}
	}
	if e, _ := s.get(4); !e.preopen || !e.mount.ReadOnly || e.mount.GuestPath != "/ro" {
		t.Errorf("fd 4 is %+v", e)
	}
	if _, errno := s.get(5); errno != ErrnoBadf {
		t.Errorf("fd 5: %v", errno)
	}
	// add takes the lowest free descriptor.
	a, _ := s.add(&entry{kind: kindFile})
	b, _ := s.add(&entry{kind: kindFile})
	if a != 5 || b != 6 {
		t.Fatalf("added %d, %d", a, b)
	}
	if _, errno := s.remove(a); errno != ErrnoSuccess {
		t.Fatal(errno)
	}
	if _, errno := s.remove(a); errno != ErrnoBadf {
		t.Errorf("removed twice: %v", errno)
	}
	if c, _ := s.add(&entry{kind: kindFile}); c != 5 {
		t.Errorf("reused %d, want 5", c)
	}
	// fd_renumber moves an entry onto another, closing that one.
	m := newMemory(t)
	if errno := fdRenumber(s, m, []uint64{6, 5}); errno != ErrnoSuccess {
		t.Fatal(errno)
	}
	if _, errno := s.get(6); errno != ErrnoBadf {
		t.Errorf("fd 6 after renumbering: %v", errno)
	}
	if errno := fdRenumber(s, m, []uint64{6, 5}); errno != ErrnoBadf {
		t.Errorf("renumbering a closed fd: %v", errno)
	}
	s.Close()
	if _, errno := s.get(3); errno != ErrnoBadf {
		t.Errorf("after Close: %v", errno)
	}
	if _, errno := s.add(&entry{}); errno != ErrnoBadf {
		t.Errorf("add after Close: %v", errno)
	}
}

func TestNewStateErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	for _, m := range []Mount{{HostPath: "/no/such/dir", GuestPath: "/"}, {HostPath: file, GuestPath: "/"}} {
		if _, err := NewState(Config{Mounts: []Mount{m}}); err == nil || !strings.Contains(err.Error(), m.HostPath) {
			t.Errorf("%s: %v", m.HostPath, err)
		}
	}
}

func TestDirPath(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub", "deeper"), 0o755)
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/"}}})
	m := newMemory(t)
	mt, rel, errno := s.dirPath(3, "sub/x")
	if errno != ErrnoSuccess || rel != "sub/x" || mt.HostPath != dir {
		t.Fatalf("%v %q %v", mt, rel, errno)
	}
	for p, want := range map[string]Errno{"": ErrnoNoent, "..": ErrnoPerm, "../x": ErrnoPerm, "/etc/passwd": ErrnoPerm, "a/../../x": ErrnoPerm} {
		if _, _, errno := s.dirPath(3, p); errno != want {
			t.Errorf("dirPath(3, %q): %v, want %v", p, errno, want)
		}
	}
	if _, _, errno := s.dirPath(1, "x"); errno != ErrnoNotdir {
		t.Errorf("relative to stdout: %v", errno)
	}
	if _, _, errno := s.dirPath(9, "x"); errno != ErrnoBadf {
		t.Errorf("relative to a closed fd: %v", errno)
	}
	// A path below an opened subdirectory is joined to it, and may not
	// climb out of it even though the mount would allow it.
	m.WriteString(100, "sub")
	if errno := pathOpen(s, m, []uint64{3, 0, 100, 3, oflagDirectory, dirRights, dirRights, 0, 200}); errno != ErrnoSuccess {
		t.Fatal(errno)
	}
	sub := u32(m, 200)
	if _, rel, errno := s.dirPath(sub, "deeper"); errno != ErrnoSuccess || rel != "sub/deeper" {
		t.Errorf("below sub: %q %v", rel, errno)
	}
	if _, _, errno := s.dirPath(sub, "../sub"); errno != ErrnoPerm {
		t.Errorf("out of sub: %v", errno)
	}
	// A NUL in a path is refused.
	m.WriteString(100, "a\x00b")
	if _, _, errno := s.pathArg(m, 3, 100, 3); errno != ErrnoInval {
		t.Errorf("NUL: %v", errno)
	}
	if _, _, errno := s.pathArg(m, 3, 1<<20, 3); errno != ErrnoFault {
		t.Errorf("path out of memory: %v", errno)
	}
}

func TestLinkRootRefusesEscapes(t *testing.T) {
	r := linkRoot{dir: t.TempDir()}
	for _, p := range []string{"..", "../x", "/x", "a/../../x"} {
		if _, err := r.Open(p); !errors.Is(err, syscall.EPERM) || errnoOf(err) != ErrnoPerm {
			t.Errorf("Open(%q): %v", p, err)
		}
	}
	if err := r.Symlink("x", "link"); errnoOf(err) != ErrnoPerm {
		t.Errorf("Symlink: %v", err)
	}
	if p, err := r.host("a/./b/"); err != nil || p != filepath.Join(r.dir, "a", "b")+"/" {
		t.Errorf("host: %q %v", p, err)
	}
}

func TestErrnoOf(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	_, escape := root.Open("../x")
	_, missing := root.Open("missing")
	cases := []struct {
		err  error
		want Errno
	}{
		{nil, ErrnoSuccess},
		{syscall.ENOENT, ErrnoNoent},
		{&fs.PathError{Op: "open", Path: "x", Err: syscall.EISDIR}, ErrnoIsdir},
		{syscall.ENOTEMPTY, ErrnoNotempty},
		{syscall.EXDEV, ErrnoXdev},
		{syscall.ECHILD, ErrnoIO}, // a host errno WASI code has no use for
		{fs.ErrNotExist, ErrnoNoent},
		{fs.ErrExist, ErrnoExist},
		{fs.ErrPermission, ErrnoPerm},
		{os.ErrClosed, ErrnoBadf},
		{escape, ErrnoPerm},
		{missing, ErrnoNoent},
		{errors.New("anything else"), ErrnoIO},
		{errors.New("path escapes from parent"), ErrnoIO}, // the words alone are not the error
	}
	for _, c := range cases {
		if got := errnoOf(c.err); got != c.want {
			t.Errorf("errnoOf(%v) = %d, want %d", c.err, got, c.want)
		}
	}
	if errnoOf(removeErr(syscall.EEXIST)) != ErrnoNotempty {
		t.Error("rmdir's EEXIST is not ENOTEMPTY")
	}
}

func TestIovecs(t *testing.T) {
	m := newMemory(t)
	m.Write(1000, []byte("hello, world"))
	ptr := putIovecs(m, 64, [2]uint32{1000, 5}, [2]uint32{1007, 5}, [2]uint32{0, 0})
	a, errno := iovecs(m, ptr, 3)
	var bufs [][]byte
	for i := uint32(0); i < a.n; i++ {
		b, _ := a.buf(i)
		bufs = append(bufs, b)
	}
	if errno != ErrnoSuccess || len(bufs) != 3 || string(bufs[0]) != "hello" || string(bufs[1]) != "world" || len(bufs[2]) != 0 {
		t.Fatalf("%q %v", bufs, errno)
	}
	// The buffers are the guest's memory itself.
	bufs[0][0] = 'j'
	if b, _ := m.Read(1000, 5); string(b) != "jello" {
		t.Errorf("memory holds %q", b)
	}
	size := m.Size()
	for name, bad := range map[string]uint32{
		"buffer past the end": putIovecs(m, 64, [2]uint32{size - 2, 5}),
		"buffer length wraps": putIovecs(m, 64, [2]uint32{8, 0xFFFFFFFF}),
	} {
		if _, errno := iovecs(m, bad, 1); errno != ErrnoFault {
			t.Errorf("%s: %v", name, errno)
		}
	}
	if _, errno := iovecs(m, size-4, 1); errno != ErrnoFault {
		t.Errorf("array past the end: %v", errno)
	}
}

// openFile opens name below the mount at fd 3 for reading and writing.
func openFile(t *testing.T, s *State, m api.Memory, name string, oflags uint16, fdflags uint16) uint32 {
	t.Helper()
	m.WriteString(100, name)
	if errno := pathOpen(s, m, []uint64{3, 0, 100, uint64(len(name)), uint64(oflags), fileRights, fileRights, uint64(fdflags), 200}); errno != ErrnoSuccess {
		t.Fatalf("open %s: %v", name, errno)
	}
	return u32(m, 200)
}

func TestReadWriteAndPositioned(t *testing.T) {
	dir := t.TempDir()
	var stdout strings.Builder
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/"}}, Stdin: strings.NewReader("from stdin"), Stdout: &stdout})
	m := newMemory(t)
	fd := uint64(openFile(t, s, m, "f.txt", oflagCreat|oflagTrunc, 0))

	// fd_write gathers its buffers; the position moves.
	m.Write(1000, []byte("abcdefgh"))
	iovs := uint64(putIovecs(m, 64, [2]uint32{1000, 3}, [2]uint32{1003, 0}, [2]uint32{1003, 5}))
	if errno := fdWrite(s, m, []uint64{fd, iovs, 3, 300}); errno != ErrnoSuccess || u32(m, 300) != 8 {
		t.Fatalf("fd_write: %v, %d", errno, u32(m, 300))
	}
	// fd_pwrite writes at an offset and leaves the position alone.
	m.Write(1000, []byte("XY"))
	iovs = uint64(putIovecs(m, 64, [2]uint32{1000, 1}, [2]uint32{1001, 1}))
	if errno := fdPwrite(s, m, []uint64{fd, iovs, 2, 2, 300}); errno != ErrnoSuccess || u32(m, 300) != 2 {
		t.Fatalf("fd_pwrite: %v", errno)
	}
	if errno := fdTell(s, m, []uint64{fd, 300}); errno != ErrnoSuccess || u32(m, 300) != 8 {
		t.Fatalf("position after fd_pwrite: %d %v", u32(m, 300), errno)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "f.txt")); string(b) != "abXYefgh" {
		t.Fatalf("file holds %q", b)
	}
	// fd_pread scatters from an offset, stopping at the end of the file.
	iovs = uint64(putIovecs(m, 64, [2]uint32{2000, 2}, [2]uint32{2010, 10}))
	if errno := fdPread(s, m, []uint64{fd, iovs, 2, 3, 300}); errno != ErrnoSuccess || u32(m, 300) != 5 {
		t.Fatalf("fd_pread: %v %d", errno, u32(m, 300))
	}
	if a, _ := m.Read(2000, 2); string(a) != "Ye" {
		t.Errorf("first buffer %q", a)
	}
	if b, _ := m.Read(2010, 5); string(b) != "fgh\x00\x00" {
		t.Errorf("second buffer %q", b)
	}
	// fd_read from the current position: after a seek to 6, "gh", then 0
	// at the end.
	if errno := fdSeek(s, m, []uint64{fd, 6, whenceSet, 300}); errno != ErrnoSuccess {
		t.Fatal(errno)
	}
	iovs = uint64(putIovecs(m, 64, [2]uint32{3000, 1}, [2]uint32{3001, 10}))
	if errno := fdRead(s, m, []uint64{fd, iovs, 2, 300}); errno != ErrnoSuccess || u32(m, 300) != 2 {
		t.Fatalf("fd_read: %v %d", errno, u32(m, 300))
	}
	if errno := fdRead(s, m, []uint64{fd, iovs, 2, 300}); errno != ErrnoSuccess || u32(m, 300) != 0 {
		t.Fatalf("fd_read at the end: %v %d", errno, u32(m, 300))
	}

	// The standard streams.
	iovs = uint64(putIovecs(m, 64, [2]uint32{3000, 4}, [2]uint32{3004, 100}))
	if errno := fdRead(s, m, []uint64{0, iovs, 2, 300}); errno != ErrnoSuccess || u32(m, 300) != 10 {
		t.Fatalf("stdin: %v %d", errno, u32(m, 300))
	}
	if b, _ := m.Read(3000, 10); string(b) != "from stdin" {
		t.Errorf("stdin gave %q", b)
	}
	m.Write(1000, []byte("out"))
	iovs = uint64(putIovecs(m, 64, [2]uint32{1000, 3}))
	if errno := fdWrite(s, m, []uint64{1, iovs, 1, 300}); errno != ErrnoSuccess || stdout.String() != "out" {
		t.Fatalf("stdout: %v %q", errno, stdout.String())
	}

	for _, c := range []struct {
		name string
		call func() Errno
		want Errno
	}{
		{"read stdout", func() Errno { return fdRead(s, m, []uint64{1, iovs, 1, 300}) }, ErrnoBadf},
		{"write stdin", func() Errno { return fdWrite(s, m, []uint64{0, iovs, 1, 300}) }, ErrnoBadf},
		{"pread stdin", func() Errno { return fdPread(s, m, []uint64{0, iovs, 1, 0, 300}) }, ErrnoSpipe},
		{"pwrite stdout", func() Errno { return fdPwrite(s, m, []uint64{1, iovs, 1, 0, 300}) }, ErrnoSpipe},
		{"read a directory", func() Errno { return fdRead(s, m, []uint64{3, iovs, 1, 300}) }, ErrnoIsdir},
		{"pread a directory", func() Errno { return fdPread(s, m, []uint64{3, iovs, 1, 0, 300}) }, ErrnoIsdir},
		{"write a directory", func() Errno { return fdWrite(s, m, []uint64{3, iovs, 1, 300}) }, ErrnoIsdir},
		{"pwrite a directory", func() Errno { return fdPwrite(s, m, []uint64{3, iovs, 1, 0, 300}) }, ErrnoIsdir},
		{"read a closed fd", func() Errno { return fdRead(s, m, []uint64{42, iovs, 1, 300}) }, ErrnoBadf},
		{"bad iovec", func() Errno { return fdWrite(s, m, []uint64{fd, uint64(m.Size()), 1, 300}) }, ErrnoFault},
		{"bad result pointer", func() Errno { return fdWrite(s, m, []uint64{fd, iovs, 1, uint64(m.Size())}) }, ErrnoFault},
	} {
		if got := c.call(); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPwriteOnAppendFile: pwrite(2) writes at the offset even on a file
// opened for appending, which os.File.WriteAt refuses.
func TestPwriteOnAppendFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "log"), []byte("0123456789"), 0o644)
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/"}}})
	m := newMemory(t)
	fd := uint64(openFile(t, s, m, "log", 0, fdflagAppend))
	m.Write(1000, []byte("ab"))
	iovs := uint64(putIovecs(m, 64, [2]uint32{1000, 2}))
	if errno := fdPwrite(s, m, []uint64{fd, iovs, 1, 0, 300}); errno != ErrnoSuccess || u32(m, 300) != 2 {
		t.Fatalf("fd_pwrite: %v", errno)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "log"))
	// Linux appends a pwrite on an O_APPEND file; either way nothing is lost.
	if string(b) != "ab23456789" && string(b) != "0123456789ab" {
		t.Fatalf("file holds %q", b)
	}
}

func TestReadOnlyMount(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "kept"), []byte("x"), 0o644)
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/", ReadOnly: true}}})
	m := newMemory(t)
	m.WriteString(100, "new")
	if errno := pathOpen(s, m, []uint64{3, 0, 100, 3, oflagCreat, fileRights, fileRights, 0, 200}); errno != ErrnoRofs {
		t.Errorf("create: %v", errno)
	}
	m.WriteString(100, "kept")
	if errno := pathUnlinkFile(s, m, []uint64{3, 100, 4}); errno != ErrnoRofs {
		t.Errorf("unlink: %v", errno)
	}
	if errno := pathCreateDirectory(s, m, []uint64{3, 100, 4}); errno != ErrnoRofs {
		t.Errorf("mkdir: %v", errno)
	}
}

func TestArgsEnvAndClocks(t *testing.T) {
	s := newState(t, Config{Args: []string{"prog", "a b"}, Env: []string{"K=V"}, Deterministic: true, Seed: 7})
	m := newMemory(t)
	if errno := argsSizesGet(s, m, []uint64{0, 4}); errno != ErrnoSuccess || u32(m, 0) != 2 || u32(m, 4) != 9 {
		t.Fatalf("args_sizes_get: %v %d %d", errno, u32(m, 0), u32(m, 4))
	}
	if errno := argsGet(s, m, []uint64{16, 100}); errno != ErrnoSuccess {
		t.Fatal(errno)
	}
	if b, _ := m.Read(100, 9); string(b) != "prog\x00a b\x00" || u32(m, 16) != 100 || u32(m, 20) != 105 {
		t.Errorf("args_get: %q %d %d", b, u32(m, 16), u32(m, 20))
	}
	if errno := environGet(s, m, []uint64{16, 200}); errno != ErrnoSuccess {
		t.Fatal(errno)
	}
	if b, _ := m.Read(200, 4); string(b) != "K=V\x00" {
		t.Errorf("environ_get: %q", b)
	}
	if errno := clockTimeGet(s, m, []uint64{clockRealtime, 0, 300}); errno != ErrnoSuccess {
		t.Fatal(errno)
	}
	if v, _ := m.ReadUint64Le(300); v != uint64(FixedWallClock.UnixNano()) {
		t.Errorf("deterministic wall clock %d", v)
	}
	clockTimeGet(s, m, []uint64{clockMonotonic, 0, 300})
	a, _ := m.ReadUint64Le(300)
	clockTimeGet(s, m, []uint64{clockMonotonic, 0, 300})
	b, _ := m.ReadUint64Le(300)
	if b <= a {
		t.Errorf("monotonic clock %d then %d", a, b)
	}
	if errno := clockTimeGet(s, m, []uint64{99, 0, 300}); errno != ErrnoInval {
		t.Errorf("unknown clock: %v", errno)
	}
	// The same seed gives the same bytes.
	s2 := newState(t, Config{Deterministic: true, Seed: 7})
	randomGet(s, m, []uint64{400, 16})
	randomGet(s2, m, []uint64{500, 16})
	r1, _ := m.Read(400, 16)
	r2, _ := m.Read(500, 16)
	if string(r1) != string(r2) {
		t.Errorf("seeded randomness differs: %x %x", r1, r2)
	}
	if errno := notSocket(s, m, []uint64{1}); errno != ErrnoNotsock {
		t.Errorf("sock on stdout: %v", errno)
	}
}

// wasiSignatures is the parameter list of every function of
// wasi_snapshot_preview1, in core wasm types, as the WASI witx definitions
// lower them (wasi-libc declares the same imports). It is written out here,
// not derived from functions, so that TestFunctionTable checks the table
// against WASI and not against itself. Every function returns an i32
// errno except proc_exit, which returns nothing.
var wasiSignatures = map[string]string{
	"args_get":                "i32 i32",
	"args_sizes_get":          "i32 i32",
	"clock_res_get":           "i32 i32",
	"clock_time_get":          "i32 i64 i32",
	"environ_get":             "i32 i32",
	"environ_sizes_get":       "i32 i32",
	"fd_advise":               "i32 i64 i64 i32",
	"fd_allocate":             "i32 i64 i64",
	"fd_close":                "i32",
	"fd_datasync":             "i32",
	"fd_fdstat_get":           "i32 i32",
	"fd_fdstat_set_flags":     "i32 i32",
	"fd_fdstat_set_rights":    "i32 i64 i64",
	"fd_filestat_get":         "i32 i32",
	"fd_filestat_set_size":    "i32 i64",
	"fd_filestat_set_times":   "i32 i64 i64 i32",
	"fd_pread":                "i32 i32 i32 i64 i32",
	"fd_prestat_dir_name":     "i32 i32 i32",
	"fd_prestat_get":          "i32 i32",
	"fd_pwrite":               "i32 i32 i32 i64 i32",
	"fd_read":                 "i32 i32 i32 i32",
	"fd_readdir":              "i32 i32 i32 i64 i32",
	"fd_renumber":             "i32 i32",
	"fd_seek":                 "i32 i64 i32 i32",
	"fd_sync":                 "i32",
	"fd_tell":                 "i32 i32",
	"fd_write":                "i32 i32 i32 i32",
	"path_create_directory":   "i32 i32 i32",
	"path_filestat_get":       "i32 i32 i32 i32 i32",
	"path_filestat_set_times": "i32 i32 i32 i32 i64 i64 i32",
	"path_link":               "i32 i32 i32 i32 i32 i32 i32",
	"path_open":               "i32 i32 i32 i32 i32 i64 i64 i32 i32",
	"path_readlink":           "i32 i32 i32 i32 i32 i32",
	"path_remove_directory":   "i32 i32 i32",
	"path_rename":             "i32 i32 i32 i32 i32 i32",
	"path_symlink":            "i32 i32 i32 i32 i32",
	"path_unlink_file":        "i32 i32 i32",
	"poll_oneoff":             "i32 i32 i32 i32",
	"proc_exit":               "i32",
	"proc_raise":              "i32",
	"random_get":              "i32 i32",
	"sched_yield":             "",
	"sock_accept":             "i32 i32 i32",
	"sock_recv":               "i32 i32 i32 i32 i32 i32",
	"sock_send":               "i32 i32 i32 i32 i32",
	"sock_shutdown":           "i32 i32",
}

// typeNames spells value types as wasiSignatures does.
func typeNames(types []api.ValueType) string {
	s := make([]string, len(types))
	for i, t := range types {
		s[i] = api.ValueTypeName(t)
	}
	return strings.Join(s, " ")
}

// TestFunctionTable: every function names each of its parameters, and the
// names are the ones WASI gives them.
func TestFunctionTable(t *testing.T) {
	// The table has every function of WASI, with WASI's parameters: one
	// name for each, and the type WASI gives it.
	for name := range wasiSignatures {
		if _, ok := functions[name]; !ok && name != "proc_exit" {
			t.Errorf("%s: missing from functions", name)
		}
	}
	for name, f := range functions {
		want, ok := wasiSignatures[name]
		if !ok {
			t.Errorf("%s: not a function of %s", name, ModuleName)
			continue
		}
		if got := typeNames(f.types); got != want {
			t.Errorf("%s: parameters (%s), WASI gives (%s)", name, got, want)
		}
		if n := len(strings.Fields(want)); len(f.names) != n {
			t.Errorf("%s: %d names %v for WASI's %d parameters", name, len(f.names), f.names, n)
		}
		seen := map[string]bool{}
		for _, n := range f.names {
			if n == "" || strings.Contains(n, ":") || seen[n] {
				t.Errorf("%s: parameter name %q", name, n)
			}
			seen[n] = true
		}
	}
	f := functions["fd_pread"]
	if strings.Join(f.names, ",") != "fd,iovs,iovs_len,offset,nread_ptr" || f.types[3] != i64 || f.types[4] != i32 {
		t.Errorf("fd_pread: %v %v", f.names, f.types)
	}
	if !Provides("proc_exit") || !Provides("path_open") || Provides("sock_open") {
		t.Error("Provides")
	}
	// The module instantiates, and what wazero exports, the signature a
	// guest links against and the names a trap shows, is WASI's.
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	if err := Instantiate(ctx, rt); err != nil {
		t.Fatal(err)
	}
	defs := rt.Module(ModuleName).ExportedFunctionDefinitions()
	if len(defs) != len(wasiSignatures) {
		t.Errorf("%s exports %d functions, WASI has %d", ModuleName, len(defs), len(wasiSignatures))
	}
	for name, want := range wasiSignatures {
		def, ok := defs[name]
		if !ok {
			t.Errorf("%s: not exported", name)
			continue
		}
		wantNames, wantResults := functions[name].names, "i32"
		if name == "proc_exit" {
			wantNames, wantResults = []string{"rval"}, ""
		}
		if got := typeNames(def.ParamTypes()); got != want {
			t.Errorf("%s in wazero: parameters (%s), WASI gives (%s)", name, got, want)
		}
		if got := typeNames(def.ResultTypes()); got != wantResults {
			t.Errorf("%s in wazero: results (%s), want (%s)", name, got, wantResults)
		}
		if strings.Join(def.ParamNames(), ",") != strings.Join(wantNames, ",") {
			t.Errorf("%s's parameters in wazero: %v, want %v", name, def.ParamNames(), wantNames)
		}
	}
	if got := strings.Join(defs["fd_write"].ParamNames(), ","); got != "fd,iovs,iovs_len,nwritten_ptr" {
		t.Errorf("fd_write's parameters in wazero: %v", got)
	}
}

func TestZeroExtend(t *testing.T) {
	stack := []uint64{0xFFFFFFFF_00000001, 0xFFFFFFFF_00000002}
	zeroExtend([]api.ValueType{i32, i64}, stack)
	if stack[0] != 1 || stack[1] != 0xFFFFFFFF_00000002 {
		t.Errorf("%x", stack)
	}
}
