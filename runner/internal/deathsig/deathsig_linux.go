// Package deathsig ties a child process's life to the runner's: the
// worker's children and a compile's native rustc must not compute on after
// the runner is killed, even by SIGKILL, which it cannot handle.
package deathsig

import (
	"os/exec"
	"syscall"
)

// Set has the kernel kill cmd's process when the thread that starts it
// ends, as it does when the runner dies.
func Set(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
