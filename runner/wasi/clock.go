package wasi

// clock_res_get and clock_time_get.

import (
	"time"

	"github.com/tetratelabs/wazero/api"
)

func clockResGet(s *State, m api.Memory, p []uint64) Errno {
	id, resolutionPtr := uint32(p[0]), uint32(p[1])
	switch id {
	case clockRealtime, clockMonotonic, clockProcess, clockThread:
	default:
		return ErrnoInval
	}
	if !m.WriteUint64Le(resolutionPtr, 1) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

// now reads a clock in nanoseconds.
func (s *State) now(id uint32) (uint64, Errno) {
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
