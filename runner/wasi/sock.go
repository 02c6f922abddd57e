package wasi

// The sock_* functions: there are no sockets.

import (
	"github.com/tetratelabs/wazero/api"
)

// notSocket serves the sock_* functions: no descriptor is a socket.
func notSocket(s *State, m api.Memory, p []uint64) Errno {
	fd := uint32(p[0])
	if _, errno := s.get(fd); errno != ErrnoSuccess {
		return errno
	}
	return ErrnoNotsock
}
