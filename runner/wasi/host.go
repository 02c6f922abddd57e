package wasi

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

// hostFunc is one WASI function: its parameter types and its body, which
// returns an errno (proc_exit never returns).
type hostFunc struct {
	params []api.ValueType
	body   hostBody
}

// hostBody is a function's body; the context is the call's, for bodies that
// wait (poll_oneoff).
type hostBody func(ctx context.Context, s *State, m api.Memory, p []uint64) Errno

// plain adapts a body that does not wait.
func plain(f func(s *State, m api.Memory, p []uint64) Errno) hostBody {
	return func(_ context.Context, s *State, m api.Memory, p []uint64) Errno { return f(s, m, p) }
}

var cryptoRead = rand.Read

// functions lists every function of wasi_snapshot_preview1.
var functions = map[string]hostFunc{
	"args_get":                {sig(i32, i32), plain(argsGet)},
	"args_sizes_get":          {sig(i32, i32), plain(argsSizesGet)},
	"environ_get":             {sig(i32, i32), plain(environGet)},
	"environ_sizes_get":       {sig(i32, i32), plain(environSizesGet)},
	"clock_res_get":           {sig(i32, i32), plain(clockResGet)},
	"clock_time_get":          {sig(i32, i64, i32), plain(clockTimeGet)},
	"fd_advise":               {sig(i32, i64, i64, i32), plain(fdAdvise)},
	"fd_allocate":             {sig(i32, i64, i64), plain(fdAllocate)},
	"fd_close":                {sig(i32), plain(fdClose)},
	"fd_datasync":             {sig(i32), plain(fdSync)},
	"fd_fdstat_get":           {sig(i32, i32), plain(fdFdstatGet)},
	"fd_fdstat_set_flags":     {sig(i32, i32), plain(fdFdstatSetFlags)},
	"fd_fdstat_set_rights":    {sig(i32, i64, i64), plain(fdFdstatSetRights)},
	"fd_filestat_get":         {sig(i32, i32), plain(fdFilestatGet)},
	"fd_filestat_set_size":    {sig(i32, i64), plain(fdFilestatSetSize)},
	"fd_filestat_set_times":   {sig(i32, i64, i64, i32), plain(fdFilestatSetTimes)},
	"fd_pread":                {sig(i32, i32, i32, i64, i32), plain(fdPread)},
	"fd_prestat_get":          {sig(i32, i32), plain(fdPrestatGet)},
	"fd_prestat_dir_name":     {sig(i32, i32, i32), plain(fdPrestatDirName)},
	"fd_pwrite":               {sig(i32, i32, i32, i64, i32), plain(fdPwrite)},
	"fd_read":                 {sig(i32, i32, i32, i32), plain(fdRead)},
	"fd_readdir":              {sig(i32, i32, i32, i64, i32), plain(fdReaddir)},
	"fd_renumber":             {sig(i32, i32), plain(fdRenumber)},
	"fd_seek":                 {sig(i32, i64, i32, i32), plain(fdSeek)},
	"fd_sync":                 {sig(i32), plain(fdSync)},
	"fd_tell":                 {sig(i32, i32), plain(fdTell)},
	"fd_write":                {sig(i32, i32, i32, i32), plain(fdWrite)},
	"path_create_directory":   {sig(i32, i32, i32), plain(pathCreateDirectory)},
	"path_filestat_get":       {sig(i32, i32, i32, i32, i32), plain(pathFilestatGet)},
	"path_filestat_set_times": {sig(i32, i32, i32, i32, i64, i64, i32), plain(pathFilestatSetTimes)},
	"path_link":               {sig(i32, i32, i32, i32, i32, i32, i32), plain(pathLink)},
	"path_open":               {sig(i32, i32, i32, i32, i32, i64, i64, i32, i32), plain(pathOpen)},
	"path_readlink":           {sig(i32, i32, i32, i32, i32, i32), plain(pathReadlink)},
	"path_remove_directory":   {sig(i32, i32, i32), plain(pathRemoveDirectory)},
	"path_rename":             {sig(i32, i32, i32, i32, i32, i32), plain(pathRename)},
	"path_symlink":            {sig(i32, i32, i32, i32, i32), plain(pathSymlink)},
	"path_unlink_file":        {sig(i32, i32, i32), plain(pathUnlinkFile)},
	"poll_oneoff":             {sig(i32, i32, i32, i32), pollOneoff},
	"proc_raise":              {sig(i32), plain(func(*State, api.Memory, []uint64) Errno { return ErrnoNosys })},
	"sched_yield":             {sig(), plain(func(*State, api.Memory, []uint64) Errno { return ErrnoSuccess })},
	"random_get":              {sig(i32, i32), plain(randomGet)},
	"sock_accept":             {sig(i32, i32, i32), plain(notSocket)},
	"sock_recv":               {sig(i32, i32, i32, i32, i32, i32), plain(notSocket)},
	"sock_send":               {sig(i32, i32, i32, i32, i32), plain(notSocket)},
	"sock_shutdown":           {sig(i32, i32), plain(notSocket)},
}

func sig(p ...api.ValueType) []api.ValueType { return p }

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
		body, params := f.body, f.params
		b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(func(ctx context.Context, mod api.Module, stack []uint64) {
			s := enter(ctx)
			truncate(params, stack)
			stack[0] = uint64(body(ctx, s, mod.Memory(), stack))
		}), params, []api.ValueType{i32}).Export(name)
	}
	b.NewFunctionBuilder().WithGoModuleFunction(api.GoModuleFunc(procExit), []api.ValueType{i32}, nil).Export("proc_exit")
	_, err := b.Instantiate(ctx)
	return err
}

// truncate clears the upper bits of i32 parameters, which wazero leaves
// undefined, so that the bodies can use the stack values as they are.
func truncate(params []api.ValueType, stack []uint64) {
	for i, t := range params {
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
	code := uint32(stack[0])
	_ = mod.CloseWithExitCode(ctx, code)
	panic(sys.NewExitError(code))
}

// readString reads a guest string.
func readString(m api.Memory, ptr, n uint64) (string, Errno) {
	b, ok := m.Read(uint32(ptr), uint32(n))
	if !ok {
		return "", ErrnoFault
	}
	return string(b), ErrnoSuccess
}

// writeStrings lays out NUL-terminated strings for args_get/environ_get.
func writeStrings(m api.Memory, list []string, ptrs, buf uint32) Errno {
	for _, a := range list {
		if !m.WriteUint32Le(ptrs, buf) {
			return ErrnoFault
		}
		if !m.WriteString(buf, a) || !m.WriteByte(buf+uint32(len(a)), 0) {
			return ErrnoFault
		}
		ptrs += 4
		buf += uint32(len(a)) + 1
	}
	return ErrnoSuccess
}

func sizes(m api.Memory, list []string, countPtr, sizePtr uint32) Errno {
	n := 0
	for _, a := range list {
		n += len(a) + 1
	}
	if !m.WriteUint32Le(countPtr, uint32(len(list))) || !m.WriteUint32Le(sizePtr, uint32(n)) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func argsGet(s *State, m api.Memory, p []uint64) Errno {
	return writeStrings(m, s.args, uint32(p[0]), uint32(p[1]))
}

func argsSizesGet(s *State, m api.Memory, p []uint64) Errno {
	return sizes(m, s.args, uint32(p[0]), uint32(p[1]))
}

func environGet(s *State, m api.Memory, p []uint64) Errno {
	return writeStrings(m, s.env, uint32(p[0]), uint32(p[1]))
}

func environSizesGet(s *State, m api.Memory, p []uint64) Errno {
	return sizes(m, s.env, uint32(p[0]), uint32(p[1]))
}

func clockResGet(s *State, m api.Memory, p []uint64) Errno {
	switch p[0] {
	case clockRealtime, clockMonotonic, clockProcess, clockThread:
	default:
		return ErrnoInval
	}
	if !m.WriteUint64Le(uint32(p[1]), 1) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

// now reads a clock in nanoseconds.
func (s *State) now(id uint64) (uint64, Errno) {
	switch id {
	case clockRealtime:
		if s.deterministic {
			return uint64(FixedWallClock.UnixNano()), ErrnoSuccess
		}
		return uint64(time.Now().UnixNano()), ErrnoSuccess
	case clockMonotonic, clockProcess, clockThread:
		if s.deterministic {
			// A counter: strictly increasing, the same on every run.
			s.mu.Lock()
			defer s.mu.Unlock()
			s.fake += 1000
			return s.fake, ErrnoSuccess
		}
		return uint64(time.Since(s.start).Nanoseconds()) + 1, ErrnoSuccess
	}
	return 0, ErrnoInval
}

func clockTimeGet(s *State, m api.Memory, p []uint64) Errno {
	t, errno := s.now(p[0])
	if errno != ErrnoSuccess {
		return errno
	}
	if !m.WriteUint64Le(uint32(p[2]), t) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func randomGet(s *State, m api.Memory, p []uint64) Errno {
	buf, ok := m.Read(uint32(p[0]), uint32(p[1]))
	if !ok {
		return ErrnoFault
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]byte, len(buf))
	_, _ = s.rand.Read(out)
	copy(buf, out)
	return ErrnoSuccess
}

func notSocket(s *State, m api.Memory, p []uint64) Errno {
	if _, errno := s.get(uint32(p[0])); errno != ErrnoSuccess {
		return errno
	}
	return ErrnoNotsock
}

// pollOneoff waits for the earliest clock subscription. Descriptor
// subscriptions are reported ready at once: files never block, and the
// standard streams are read with blocking reads.
func pollOneoff(ctx context.Context, s *State, m api.Memory, p []uint64) Errno {
	in, out, n, neventsPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
	if n == 0 {
		return ErrnoInval
	}
	subs, ok := m.Read(in, n*subscriptionSize)
	if !ok {
		return ErrnoFault
	}
	subs = append([]byte(nil), subs...)
	var events []byte
	event := func(userdata uint64, errno Errno, typ byte) {
		ev := make([]byte, eventSize)
		binary.LittleEndian.PutUint64(ev[0:], userdata)
		binary.LittleEndian.PutUint16(ev[8:], uint16(errno))
		ev[10] = typ
		events = append(events, ev...)
	}
	type timer struct {
		userdata uint64
		deadline time.Duration // from now
	}
	var timers []timer
	for i := uint32(0); i < n; i++ {
		sub := subs[i*subscriptionSize:]
		userdata := binary.LittleEndian.Uint64(sub[0:])
		switch sub[8] {
		case eventClock:
			id := uint64(binary.LittleEndian.Uint32(sub[16:]))
			timeout := binary.LittleEndian.Uint64(sub[24:])
			flags := binary.LittleEndian.Uint16(sub[40:])
			d := time.Duration(timeout)
			if flags&subclockAbstime != 0 {
				now, errno := s.now(id)
				if errno != ErrnoSuccess {
					event(userdata, errno, eventClock)
					continue
				}
				d = time.Duration(timeout) - time.Duration(now)
			} else if _, errno := s.now(id); errno != ErrnoSuccess {
				event(userdata, errno, eventClock)
				continue
			}
			timers = append(timers, timer{userdata, d})
		case eventFdRead, eventFdWrite:
			fd := binary.LittleEndian.Uint32(sub[16:])
			_, errno := s.get(fd)
			event(userdata, errno, sub[8])
		default:
			event(userdata, ErrnoInval, sub[8])
		}
	}
	if len(events) == 0 && len(timers) > 0 {
		first := timers[0].deadline
		for _, t := range timers {
			if t.deadline < first {
				first = t.deadline
			}
		}
		if first > 0 {
			t := time.NewTimer(first)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				panic(sys.NewExitError(sys.ExitCodeContextCanceled))
			}
			if s.deterministic {
				s.mu.Lock()
				s.fake += uint64(first)
				s.mu.Unlock()
			}
		}
		for _, t := range timers {
			if t.deadline <= first {
				event(t.userdata, ErrnoSuccess, eventClock)
			}
		}
	}
	if !m.Write(out, events) || !m.WriteUint32Le(neventsPtr, uint32(len(events)/eventSize)) {
		return ErrnoFault
	}
	return ErrnoSuccess
}
