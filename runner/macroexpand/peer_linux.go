package macroexpand

import (
	"net"

	"golang.org/x/sys/unix"
)

// peerIs reports whether the process at the other end of c is pid, as the
// kernel recorded it when that process connected (SO_PEERCRED): a process
// cannot claim another's pid.
func peerIs(c net.Conn, pid int) (bool, error) {
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return false, nil
	}
	raw, err := uc.SyscallConn()
	if err != nil {
		return false, err
	}
	var cred *unix.Ucred
	var credErr error
	if err := raw.Control(func(fd uintptr) {
		cred, credErr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return false, err
	}
	if credErr != nil {
		return false, credErr
	}
	return int(cred.Pid) == pid, nil
}
