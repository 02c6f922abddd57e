package macroexpand

import (
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// A Server's socket lies in a directory of its own (0700) in the temporary
// directory, with a lock file the Server holds locked while it serves. A
// runner killed with SIGKILL cannot remove its directory; the next Server
// removes those whose lock nobody holds. A lock, not a pid: Bazel's
// sandboxes run actions in PID namespaces of their own over one /tmp, where
// another action's live pid looks like a process that is gone.

// socketDirPrefix starts the name of a Server's directory.
const socketDirPrefix = "rules_rustc_wasm_macros-"

// socketDirLock is the lock file in a Server's directory.
const socketDirLock = "lock"

// makeSocketDir makes a Server's directory and returns it with its lock
// held; closing the file lets the lock go.
func makeSocketDir() (string, *os.File, error) {
	removeStaleSocketDirs()
	dir, err := os.MkdirTemp("", socketDirPrefix)
	if err != nil {
		return "", nil, err
	}
	lock, err := os.OpenFile(filepath.Join(dir, socketDirLock), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err == nil {
		err = unix.Flock(int(lock.Fd()), unix.LOCK_EX)
	}
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, lock, nil
}

// removeStaleSocketDirs removes the Server directories whose lock nobody
// holds. A directory without a lock file is being made, and is left.
func removeStaleSocketDirs() {
	tmp := os.TempDir()
	entries, err := os.ReadDir(tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), socketDirPrefix) {
			continue
		}
		dir := filepath.Join(tmp, e.Name())
		lock, err := os.OpenFile(filepath.Join(dir, socketDirLock), os.O_RDWR, 0)
		if err != nil {
			continue
		}
		// Held (EWOULDBLOCK): a Server serves there.
		if err := unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB); err == nil {
			os.RemoveAll(dir)
		}
		lock.Close()
	}
}
