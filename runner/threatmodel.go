// # Threat model
//
// The guest is whatever WebAssembly the runner runs: rustc.wasm, a build
// script, a test, any module given to "runner run". It may be buggy or
// hostile. The runner's own flags, Bazel and its work requests, and the
// files Bazel hands over are trusted. The runner's promise is about what a
// guest can do to the host and to other guests, not about what a guest
// computes.
//
// A guest may touch: its own linear memory; the arguments, environment,
// stdin, stdout and stderr it is given; the mounted directories, as the
// file-system rules below allow; clocks (fixed and counting for rustc) and
// random bytes; threads of its own run (wasi-threads), which share its
// memory and one fd table; CPU time, and memory up to its memory's maximum
// (--max-memory).
//
// A guest may not:
//
//   - read or write host memory outside its linear memory. wazero
//     bounds-checks guest code; every host function checks each pointer,
//     length and count against the memory in 64-bit arithmetic, so that
//     nothing wraps, and answers EFAULT, EINVAL or ENAMETOOLONG
//     (runner/wasi TestHugeCounts; TestHostileWASICalls runs the issue's
//     C program; FuzzHostCalls calls every host function with fuzzed
//     arguments over fuzzed memory).
//   - crash the runner through a host function: a Go panic in one (a bug of
//     the runner) ends the guest with a clean trap that names the function
//     (wasi.HostError; TestHostPanicIsACleanTrap).
//   - make the host allocate in proportion to an argument: iovec arrays are
//     read entry by entry, poll_oneoff takes at most 65,536 subscriptions,
//     paths at most 32 KiB, random_get fills guest memory directly
//     (TestIovecCountsAreFree).
//   - stall the runner, Go's garbage collector or another request. Go
//     cannot preempt compiled guest code, and a collection stops every
//     goroutine; so the collector is off while any goroutine runs guest code
//     (runner/engine gc.go). "runner run" and "runner rustc" exit as soon as
//     the run's result is known, even while a thread still computes; their
//     --timeout and SIGTERM/SIGINT work without interruption checks
//     (TestEndWhileAThreadSpins, TestTimeoutOfASpinningMain,
//     TestRustcSIGTERMRemovesStaging). The persistent worker runs no guest:
//     each request runs in a child process (runner/isolate), so a guest that
//     computes forever, crashes or runs out of memory takes only its own
//     request; a cancel kills its child; a child whose run left a thread
//     computing retires (TestWorkerGuestsCannotStallEachOther).
//   - outlive its run for long: cancel and timeout end it (its process is
//     killed or exits); a worker's children die with the worker (Linux
//     parent-death signal) and the worker ends on SIGTERM, SIGINT or the end
//     of its input (runner/worker TestStopWhileInputIsOpen,
//     TestEndOfInputCancels; TestWorkerExitsOnSIGTERM).
//   - grow the worker's memory through its output: a response carries at
//     most 16 MiB of it and says what it dropped (TestOutputIsCapped); a work
//     request is at most 256 MiB (FuzzProtoRequests, FuzzJSONRequests fuzz
//     the decoding).
//   - leave a partial or stale output: outputs are staged and renamed only
//     when rustc succeeds; a file already at an output's path is removed
//     first; staging left by a killed runner is removed by the next
//     (runner/rustc TestOutputFromBeforeDoesNotSurviveAFailure,
//     TestStaleStagingIsRemoved).
//   - see another run's descriptors, current directory or memory: each run
//     has its own wasi.State and memory.
//
// File system. Files are reached only through mounts, each an os.Root
// (or, for a Bazel execroot or runfiles tree, a root that follows the
// links already there), so no path of the guest leaves its mount through
// "..", a symbolic link or an absolute path; the guest cannot create a link
// in a link-following mount, nor make, move or hard-link a link so that it
// leads out of its mount; a read-only mount refuses every change
// (runner/wasi TestLinkRootRefusesEscapes, TestReadOnlyMount; runner
// TestFollowedLinkCannotBeMovedOut, TestGuestCannotPlantOutwardLinks). For
// rustc actions a
// View narrows the mount to the action's declared inputs, the directories
// leading to them and the output directories: anything else does not exist
// for the guest (runner/wasi TestViewShowsDeclaredOnly, runner/rustc
// TestInputsAreTheGuestsWorld, runner TestWorkerServesDeclaredInputsOnly),
// and an Audit records every path the guest opened (runner/rustc
// TestAuditFile, runner TestRunAuditFile).
//
// Not defended: a guest's CPU time without --timeout (Bazel's own timeouts
// apply) and the memory a worker child uses (the kernel's OOM killer ends
// that child only); what the host allocates during a run is collected only
// after it; side channels (timing, cache); a native rustc, which runs as a
// host process (use Bazel's sandbox for it); a library user of
// runner/engine whose run left a thread computing keeps the collector off
// for the rest of that process.
package main
