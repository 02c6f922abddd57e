package worker

import (
	"os/exec"
	"syscall"
)

// dieWithParent has the kernel kill the child when the worker dies, even
// by SIGKILL, so that no child outlives it with a guest computing.
func dieWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
