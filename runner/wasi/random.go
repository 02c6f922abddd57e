package wasi

// random_get.

import (
	"github.com/tetratelabs/wazero/api"
)

func clockTimeGet(s *State, m api.Memory, p []uint64) Errno {
	id, timePtr := uint32(p[0]), uint32(p[2]) // the precision is ignored
	t, errno := s.now(id)
	if errno != ErrnoSuccess {
		return errno
	}
	if !m.WriteUint64Le(timePtr, t) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func randomGet(s *State, m api.Memory, p []uint64) Errno {
	bufPtr, bufLen := uint32(p[0]), uint32(p[1])
	buf, ok := m.Read(bufPtr, bufLen)
	if !ok {
		return ErrnoFault
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = s.rand.Read(buf) // straight into guest memory: no host copy
	return ErrnoSuccess
}
