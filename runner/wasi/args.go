package wasi

// args_get, args_sizes_get, environ_get and environ_sizes_get: the
// process's arguments and environment.

import (
	"github.com/tetratelabs/wazero/api"
)

// writeStrings lays out NUL-terminated strings for args_get/environ_get.
func writeStrings(m api.Memory, list []string, ptrs, buf uint32) Errno {
	for _, a := range list {
		if !m.WriteUint32Le(ptrs, buf) || !inMemory(m, buf, uint64(len(a))+1) {
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

// args_get, args_sizes_get, environ_get and environ_sizes_get: p holds
// the two guest pointers each takes.
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
