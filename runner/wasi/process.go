package wasi

// What WASI gives a process besides files: arguments, environment, clocks,
// randomness, poll_oneoff, and sockets (there are none).

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
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

func argsGet(s *State, m api.Memory, p []uint64) Errno {
	argv, argvBuf := uint32(p[0]), uint32(p[1])
	return writeStrings(m, s.args, argv, argvBuf)
}

func argsSizesGet(s *State, m api.Memory, p []uint64) Errno {
	argcPtr, argvBufSizePtr := uint32(p[0]), uint32(p[1])
	return sizes(m, s.args, argcPtr, argvBufSizePtr)
}

func environGet(s *State, m api.Memory, p []uint64) Errno {
	environ, environBuf := uint32(p[0]), uint32(p[1])
	return writeStrings(m, s.env, environ, environBuf)
}

func environSizesGet(s *State, m api.Memory, p []uint64) Errno {
	environcPtr, environBufSizePtr := uint32(p[0]), uint32(p[1])
	return sizes(m, s.env, environcPtr, environBufSizePtr)
}

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

// notSocket serves the sock_* functions: no descriptor is a socket.
func notSocket(s *State, m api.Memory, p []uint64) Errno {
	fd := uint32(p[0])
	if _, errno := s.get(fd); errno != ErrnoSuccess {
		return errno
	}
	return ErrnoNotsock
}

// maxSubscriptions caps poll_oneoff's nsubscriptions, as RLIMIT_NOFILE
// caps poll(2)'s: more is EINVAL. The host's memory for one call stays
// small whatever the guest passes.
const maxSubscriptions = 1 << 16

// pollOneoff waits for the earliest clock subscription. Descriptor
// subscriptions are reported ready at once: files never block, and the
// standard streams are read with blocking reads.
func pollOneoff(ctx context.Context, s *State, m api.Memory, p []uint64) Errno {
	in, out, n, neventsPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3]) // n: nsubscriptions
	if n == 0 || n > maxSubscriptions {
		return ErrnoInval
	}
	if !inMemory(m, out, uint64(n)*eventSize) {
		return ErrnoFault
	}
	subs, ok := m.Read(in, n*subscriptionSize) // no wrap: n is capped
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
			id := binary.LittleEndian.Uint32(sub[16:])
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
