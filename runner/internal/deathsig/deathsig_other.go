//go:build !linux

// Package deathsig ties a child process's life to the runner's where the
// system can (Linux): elsewhere a child outlives a runner killed with
// SIGKILL.
package deathsig

import "os/exec"

// Set does nothing: only Linux has a parent-death signal.
func Set(cmd *exec.Cmd) {}
