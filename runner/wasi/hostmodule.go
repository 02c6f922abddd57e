package wasi

// The wasi_snapshot_preview1 host module: the table of its functions, each
// with its parameters by name, and how a call reaches its body.

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// hostFunc is one WASI function: its parameters and its body, which
// returns an errno (proc_exit never returns).
type hostFunc struct {
	names []string // as the WASI witx definitions name them
	types []api.ValueType
	body  hostBody
}

// hostBody is a function's body. p holds the parameters in the order of
// hostFunc.names, i32 ones zero-extended; a body decodes them into named
// locals at its top. The context is the call's, for bodies that wait.
type hostBody func(ctx context.Context, s *State, m api.Memory, p []uint64) Errno

// fn describes a function whose body does not wait. Each parameter is
// named; it is an i32 unless its name ends in ":i64".
func fn(body func(s *State, m api.Memory, p []uint64) Errno, params ...string) hostFunc {
	return waits(func(_ context.Context, s *State, m api.Memory, p []uint64) Errno { return body(s, m, p) }, params...)
}

// waits describes a function whose body may wait, such as poll_oneoff.
func waits(body hostBody, params ...string) hostFunc {
	f := hostFunc{body: body}
	for _, p := range params {
		name, typ := p, i32
		if n, ok := strings.CutSuffix(p, ":i64"); ok {
			name, typ = n, i64
		}
		f.names = append(f.names, name)
		f.types = append(f.types, typ)
	}
	return f
}

var cryptoRead = rand.Read

// functions lists every function of wasi_snapshot_preview1 but proc_exit.
var functions = map[string]hostFunc{
	"args_get":                fn(argsGet, "argv", "argv_buf"),
	"args_sizes_get":          fn(argsSizesGet, "argc_ptr", "argv_buf_size_ptr"),
	"environ_get":             fn(environGet, "environ", "environ_buf"),
	"environ_sizes_get":       fn(environSizesGet, "environc_ptr", "environ_buf_size_ptr"),
	"clock_res_get":           fn(clockResGet, "id", "resolution_ptr"),
	"clock_time_get":          fn(clockTimeGet, "id", "precision:i64", "time_ptr"),
	"fd_advise":               fn(fdAdvise, "fd", "offset:i64", "len:i64", "advice"),
	"fd_allocate":             fn(fdAllocate, "fd", "offset:i64", "len:i64"),
	"fd_close":                fn(fdClose, "fd"),
	"fd_datasync":             fn(fdSync, "fd"),
	"fd_fdstat_get":           fn(fdFdstatGet, "fd", "stat_ptr"),
	"fd_fdstat_set_flags":     fn(fdFdstatSetFlags, "fd", "flags"),
	"fd_fdstat_set_rights":    fn(fdFdstatSetRights, "fd", "fs_rights_base:i64", "fs_rights_inheriting:i64"),
	"fd_filestat_get":         fn(fdFilestatGet, "fd", "stat_ptr"),
	"fd_filestat_set_size":    fn(fdFilestatSetSize, "fd", "size:i64"),
	"fd_filestat_set_times":   fn(fdFilestatSetTimes, "fd", "atim:i64", "mtim:i64", "fst_flags"),
	"fd_pread":                fn(fdPread, "fd", "iovs", "iovs_len", "offset:i64", "nread_ptr"),
	"fd_prestat_get":          fn(fdPrestatGet, "fd", "prestat_ptr"),
	"fd_prestat_dir_name":     fn(fdPrestatDirName, "fd", "path", "path_len"),
	"fd_pwrite":               fn(fdPwrite, "fd", "iovs", "iovs_len", "offset:i64", "nwritten_ptr"),
	"fd_read":                 fn(fdRead, "fd", "iovs", "iovs_len", "nread_ptr"),
	"fd_readdir":              fn(fdReaddir, "fd", "buf", "buf_len", "cookie:i64", "bufused_ptr"),
	"fd_renumber":             fn(fdRenumber, "fd", "to"),
	"fd_seek":                 fn(fdSeek, "fd", "offset:i64", "whence", "newoffset_ptr"),
	"fd_sync":                 fn(fdSync, "fd"),
	"fd_tell":                 fn(fdTell, "fd", "offset_ptr"),
	"fd_write":                fn(fdWrite, "fd", "iovs", "iovs_len", "nwritten_ptr"),
	"path_create_directory":   fn(pathCreateDirectory, "fd", "path", "path_len"),
	"path_filestat_get":       fn(pathFilestatGet, "fd", "flags", "path", "path_len", "stat_ptr"),
	"path_filestat_set_times": fn(pathFilestatSetTimes, "fd", "flags", "path", "path_len", "atim:i64", "mtim:i64", "fst_flags"),
	"path_link":               fn(pathLink, "old_fd", "old_flags", "old_path", "old_path_len", "new_fd", "new_path", "new_path_len"),
	"path_open":               fn(pathOpen, "fd", "dirflags", "path", "path_len", "oflags", "fs_rights_base:i64", "fs_rights_inheriting:i64", "fdflags", "fd_ptr"),
	"path_readlink":           fn(pathReadlink, "fd", "path", "path_len", "buf", "buf_len", "bufused_ptr"),
	"path_remove_directory":   fn(pathRemoveDirectory, "fd", "path", "path_len"),
	"path_rename":             fn(pathRename, "fd", "old_path", "old_path_len", "new_fd", "new_path", "new_path_len"),
	"path_symlink":            fn(pathSymlink, "old_path", "old_path_len", "fd", "new_path", "new_path_len"),
	"path_unlink_file":        fn(pathUnlinkFile, "fd", "path", "path_len"),
	"poll_oneoff":             waits(pollOneoff, "in", "out", "nsubscriptions", "nevents_ptr"),
	"proc_raise":              fn(func(*State, api.Memory, []uint64) Errno { return ErrnoNosys }, "sig"),
	"sched_yield":             fn(func(*State, api.Memory, []uint64) Errno { return ErrnoSuccess }),
	"random_get":              fn(randomGet, "buf", "buf_len"),
	"sock_accept":             fn(notSocket, "fd", "flags", "fd_ptr"),
	"sock_recv":               fn(notSocket, "fd", "ri_data", "ri_data_len", "ri_flags", "ro_datalen_ptr", "ro_flags_ptr"),
	"sock_send":               fn(notSocket, "fd", "si_data", "si_data_len", "si_flags", "so_datalen_ptr"),
	"sock_shutdown":           fn(notSocket, "fd", "how"),
}

// Provides reports whether this package implements the WASI function name.
func Provides(name string) bool {
	_, ok := functions[name]
	return ok || name == "proc_exit"
}

// ModuleName is the import module this package serves.
const ModuleName = moduleName

// Instantiate adds wasi_snapshot_preview1 to r. Its functions act on the
// State that WithState put into the context of each call; a call whose
// context is done (the run is over) ends the calling thread instead.
func Instantiate(ctx context.Context, r wazero.Runtime) error {
	b := r.NewHostModuleBuilder(moduleName)
	for name, f := range functions {
		name, body, types := name, f.body, f.types
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
			defer contain(name)
			s := enter(ctx)
			zeroExtend(types, stack)
			stack[0] = uint64(body(ctx, s, mod.Memory(), stack))
		}), types, []api.ValueType{i32}).WithParameterNames(f.names...).Export(name)
	}
	b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(procExit), []api.ValueType{i32}, nil).
		WithParameterNames("rval").Export("proc_exit")
	_, err := b.Instantiate(ctx)
	return err
}

// contain turns a Go panic in a host function, a bug of the runner, into
// a clean trap of the guest that names the function, instead of letting
// wazero report it with the runner's Go stack. A thread's exit passes
// through.
func contain(name string) {
	v := recover()
	if v == nil {
		return
	}
	if exit, ok := v.(*sys.ExitError); ok {
		panic(exit)
	}
	panic(&HostError{Func: name, Reason: fmt.Sprint(v)})
}

// HostError is a trap that a host function raised because of a fault of
// its own (a bug of the runner, not of the guest).
type HostError struct {
	Func   string
	Reason string
}

func (e *HostError) Error() string {
	return fmt.Sprintf("internal error in %s.%s: %s", moduleName, e.Func, e.Reason)
}

// zeroExtend clears the upper bits of i32 parameters, which wazero leaves
// undefined, so that the bodies can use the stack values as they are.
func zeroExtend(types []api.ValueType, stack []uint64) {
	for i, t := range types {
		if t == i32 {
			stack[i] = uint64(uint32(stack[i]))
		}
	}
}

// enter returns the run's State, or ends the calling thread when the run
// is over: nothing a guest does after its run ended may reach the host.
func enter(ctx context.Context) *State {
	s := stateFrom(ctx)
	if s == nil {
		panic(fmt.Errorf("%s called outside a run", moduleName))
	}
	if ctx.Err() != nil {
		panic(sys.NewExitError(sys.ExitCodeContextCanceled))
	}
	return s
}

// procExit ends the calling thread with the exit code; the engine ends the
// whole run when it sees a thread exit this way.
func procExit(ctx context.Context, mod api.Module, stack []uint64) {
	enter(ctx)
	rval := uint32(stack[0])
	_ = mod.CloseWithExitCode(ctx, rval)
	panic(sys.NewExitError(rval))
}

// maxPathLen caps the paths a guest passes: a longer one is
// ENAMETOOLONG, before the host copies it.
const maxPathLen = 1 << 15

// readString reads a guest string (a path).
func readString(m api.Memory, ptr, n uint32) (string, Errno) {
	if n > maxPathLen {
		if !inMemory(m, ptr, uint64(n)) {
			return "", ErrnoFault
		}
		return "", ErrnoNametoolong
	}
	b, ok := m.Read(ptr, n)
	if !ok {
		return "", ErrnoFault
	}
	return string(b), ErrnoSuccess
}
