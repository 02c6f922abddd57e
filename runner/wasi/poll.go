package wasi

// poll_oneoff.

import (
	"context"
	"encoding/binary"
	"time"

	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/sys"
)

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
