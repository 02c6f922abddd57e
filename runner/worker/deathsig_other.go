//go:build !linux

package worker

import "os/exec"

// dieWithParent: only Linux can tie a child's life to its parent's; on
// other systems a child ends at the end of its input.
func dieWithParent(cmd *exec.Cmd) {}
