package rustc

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"golang.org/x/sys/unix"
)

// Staging directories are named stagingPrefix + a hash of the action's
// outputs, beside the outputs. Each has a lock file, its name + ".lock",
// which the process that stages holds locked (flock) from before the
// directory exists until after it is gone. The kernel drops the lock when
// that process dies, even by SIGKILL: a staging directory whose lock
// nobody holds is left over from a killed runner, and is removed by the
// next runner that stages beside it (or by the worker that killed it).
const stagingPrefix = ".rustc-tmp-"

// lockStaging creates and locks the lock file of the staging directory
// tmp (an absolute path).
func lockStaging(tmp string) (*os.File, error) {
	f, err := os.OpenFile(tmp+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// removeStale removes the staging directories in dir (absolute) that no
// live process holds.
func removeStale(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), stagingPrefix) {
			continue
		}
		tmp := filepath.Join(dir, e.Name())
		f, err := os.OpenFile(tmp+".lock", os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			continue
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
			os.RemoveAll(tmp)
			os.Remove(tmp + ".lock")
		}
		f.Close()
	}
}

// RemoveStale removes what a killed runner left staged for the outputs,
// relative to dir (a request's working directory): the worker calls it
// after killing the child that ran them. A staging directory that a live
// process holds stays.
func RemoveStale(dir string, outputs []string) {
	seen := map[string]bool{}
	for _, o := range outputs {
		parent := action.Under(dir, filepath.Dir(o))
		if !seen[parent] {
			seen[parent] = true
			removeStale(parent)
		}
	}
}
