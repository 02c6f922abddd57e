//go:build !linux

package rustc

import "os/exec"

// dieWithTheRunner does nothing outside Linux, which alone has a
// parent-death signal: there a rustc outlives a runner killed with SIGKILL.
func dieWithTheRunner(cmd *exec.Cmd) {}
