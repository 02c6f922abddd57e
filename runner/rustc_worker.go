package main

// The worker mode of the "rustc" verb, --persistent_worker: the worker,
// which hands each work request to a child process (worker.Pool), and the
// child (--worker_child), which compiles the requests it is sent one at a
// time.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
)

// rustcWorker serves Bazel's work requests on stdin, each in one of its
// child processes: the worker runs no guest. It returns the exit status.
func rustcWorker(ctx context.Context, f *rustcFlags, stdin io.Reader, stdout, stderr io.Writer) int {
	pool := worker.NewPool(func() *exec.Cmd { return workerChildCommand(f, stderr) }, exitFailure)
	pool.Killed = func(wr *worker.Request) {
		// The child staged the request's outputs; remove them.
		if _, req, _, err := parseRustcArgs(wr.Arguments, wr.SandboxDir, io.Discard, io.Discard); err == nil {
			action.RemoveStale(req.Dir, req.Outputs)
		}
	}
	defer pool.Close()
	if err := worker.Serve(ctx, stdin, stdout, worker.Protocol(f.workerProtocol), pool.Handle); err != nil {
		fmt.Fprintf(stderr, "runner: worker: %v\n", err)
		return exitFailure
	}
	return 0
}

// rustcWorkerChild is one of the worker's children: it compiles the
// requests the worker sends it on stdin one at a time, with svc, which
// keeps rustc.wasm compiled between them. It returns the exit status.
func rustcWorkerChild(ctx context.Context, svc *rustc.Service, stdin io.Reader, stdout, stderr io.Writer) int {
	err := worker.ServeOneByOne(ctx, stdin, stdout, func(ctx context.Context, wr *worker.Request, out io.Writer) int {
		return compileWorkRequest(ctx, svc, wr, out)
	}, retireIfAbandoned)
	if err != nil {
		fmt.Fprintf(stderr, "runner: worker: %v\n", err)
		return exitFailure
	}
	return 0
}

// compileWorkRequest compiles one work request, its diagnostics to out, and
// returns the exit status. The request's own inputs, when it has any, are
// the declared inputs.
func compileWorkRequest(ctx context.Context, svc *rustc.Service, wr *worker.Request, out io.Writer) int {
	var inputs []string
	for _, in := range wr.Inputs {
		inputs = append(inputs, in.Path)
	}
	_, req, err := rustcRequest(wr.Arguments, wr.SandboxDir, inputs, out, out)
	if err != nil {
		if errors.Is(err, errHelp) {
			return exitFailure // a work request is an action, not a question
		}
		return reportRustcError(out, err)
	}
	return compileAction(ctx, svc, req, out)
}

// workerChildCommand starts one of the worker's children: this runner,
// serving requests one at a time with the worker's cache settings.
func workerChildCommand(f *rustcFlags, stderr io.Writer) *exec.Cmd {
	exe, err := os.Executable()
	if err != nil {
		exe = os.Args[0]
	}
	args := append([]string{"rustc", "--persistent_worker", "--worker_child"}, f.engine.Args()...)
	cmd := exec.Command(exe, args...)
	cmd.Stderr = stderr
	return cmd
}

// retireIfAbandoned ends a worker child whose last request left a guest
// thread computing: it would hold the collector off and a core busy.
func retireIfAbandoned() {
	if engine.GuestThreads() > 0 {
		os.Exit(worker.RetiredCode)
	}
}
