package rustc

import (
	"os/exec"
	"syscall"
)

// dieWithTheRunner has the kernel kill cmd's process when the runner's
// thread that started it ends: a runner killed with SIGKILL (which it
// cannot handle) leaves no rustc computing on, and no macro socket a
// rustc still waits on.
func dieWithTheRunner(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
}
