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
//     goroutine; so the collector is off while any goroutine runs
//     non-interruptible guest code (runner/engine gc.go). Interruptible
//     code, the macros', exits to Go at every loop and call, and leaves it
//     on. "runner run" and "runner rustc" exit as soon as
//     the run's result is known, even while a thread still computes; their
//     --timeout and SIGTERM/SIGINT work without interruption checks
//     (TestEndWhileAThreadSpins, TestTimeoutOfASpinningMain,
//     TestRustcSIGTERMRemovesStaging). The persistent worker runs no guest:
//     each request runs in a child process (runner/worker, Pool), so a
//     guest that computes forever, crashes or runs out of memory takes only
//     its own request; a cancel kills its child; a child whose run left a
//     thread computing retires (TestWorkerGuestsCannotStallEachOther).
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
// Build scripts. A build script (runner build-script) may read its package
// (the manifest directory; a .wasm script sees only it, read-only, and
// OUT_DIR), write OUT_DIR, and print instructions: cfgs, check-cfgs,
// rustc-env, link search paths, libraries to link (not for a wasm32
// target), warnings. It may not:
//
//   - write elsewhere: a native script that changes its package fails,
//     naming the file; a .wasm script's package is read-only
//     (runner/buildscript TestWriteOutsideOutDir).
//   - make more rustc arguments or variables than it asked for: what
//     reaches the compile is written one value a line, so a value with a
//     control character or bytes that are not UTF-8 is refused; rustc-env
//     takes variable names only, never RUSTC_BOOTSTRAP (which would let a
//     stable rustc accept unstable features; cargo refuses it too), OUT_DIR
//     or CARGO_MANIFEST_DIR, and "runner rustc" refuses an --env-file line
//     that sets again what the action sets; rustc-flags takes only -l and
//     -L (runner/buildscript TestParse, FuzzParse fuzzes the parser; runner
//     TestRustcRefusesWhatWouldSplitOrClobber). Only whole mentions of the
//     OUT_DIR it saw are rewritten to the final one.
//   - grow the runner's memory through its output: only its "cargo:" lines
//     are kept, at most 16 MiB of them, and a failure report shows the
//     first 64 KiB and the last 192 KiB of each stream, saying how much it
//     left out; a line of any length is read (runner/buildscript
//     TestLoudScript, TestLongLines, TestCaptureExcerpt; runner
//     TestBuildScriptMemoryIsBounded: 512 MiB of output, about 10 MiB
//     peak).
//   - run on: --timeout ends it (exit 124); a native script runs in a
//     process group of its own, killed when the script exits, times out,
//     or the runner gets SIGTERM or SIGINT, so a child it left holding its
//     stdout neither holds up the action nor adds to its output
//     (runner/buildscript TestTimeout, TestChildHoldingStdout,
//     TestCanceledScriptLeavesNothing; runner TestBuildScriptVerbTimeout,
//     TestBuildScriptSIGTERMKillsItsGroup).
//   - leave a partial or stale output: OUT_DIR and the flag and env files
//     appear only when it succeeds (runner/buildscript
//     TestFailureLeavesNothing).
//   - write to the terminal: control characters in what the runner prints
//     of it, and of a test's output, are escaped (runner/buildscript
//     TestLoudScript; runner/testharness TestControlCharactersAreEscaped;
//     runner/internal/textsafe TestPrintable).
//
// Wasm proc macros. A macro module (a native rustc's wasm_proc_macro) is a
// guest the build did not write: a dependency's. Every place that runs one
// (the compile's expansions, the editor's proc-macro server, and through
// them the benchmarks) builds its engine with macroexpand.NewEngine, its
// world with macroexpand.NewWorld, and runs it through a
// macroexpand.Expander, so the rules below are one policy, decided in one
// file (runner/macroexpand/sandbox.go).
//
// What a macro observes: its input tokens; the compiled crate's declared
// inputs (srcs and compile_data, given as --macro-input), read-only, at
// their paths below "/" (a file of the package that is not declared does
// not exist for it: testing/macros sandbox_test, runner/macroexpand
// TestExpandSandbox); the environment the compile gives rustc and nothing
// of the runner's own (runner/rustc TestMacroWorldIsRustcsEnvironment); a
// fixed clock, seeded randomness and no file metadata of the host, so an
// expansion is the same in two directories and on two days (runner/wasi
// TestDeterministicFilestat, runner/macroexpand TestExpansionIgnoresTheHost).
// The editor's server gives it the same: the crate's macro view, which
// rust-project.json carries, and no file without one (runner/procmacrosrv
// TestExpandSeesTheCratesDeclaredInputsOnly, TestExpandWithoutAViewSeesNoFiles).
// It may throw and catch exceptions (wasm exception handling, for a macro's
// own catch_unwind: runner/engine TestExceptionHandling); a panic it does
// not catch ends the expansion with its message.
//
// What it may consume, and what stops it:
//
//   - time: --macro-timeout (60 s) for each expansion, and for compiling
//     its module. The engine is interruptible, so guest code exits to Go
//     at every loop and call: the timer fires and the garbage collector
//     runs however few CPUs the process has (TestSandboxStopsLoopsOnOneCPU,
//     a child with GOMAXPROCS=1; TestSandboxKeepsTheCollectorOn). A start
//     function is refused, and the timeout covers instantiation anyway
//     (runner/engine TestTimeoutCoversTheStartFunction). Compiling a module
//     the timeout gave up on goes on in the background (wazero cannot stop
//     it) while the compile fails (TestSandboxGivesUpOnSlowCompiles).
//   - memory: --macro-max-memory (1024 MiB) for its one memory, reserved
//     as address space and committed as it grows, never copied
//     (engine/linear_memory.go), one expansion at a time in a compile,
//     what it prints bounded by half the cap; the process's peak stays
//     under 2 x the cap + 160 MiB
//     (TestSandboxBoundsTheProcessMemory; bench/macro_sandbox.sh measures
//     the cap + about 28 MiB). Outside the cap: tables (2^20 elements in
//     all, each with a maximum, or the module is refused) and threads (a
//     module importing wasi.thread-spawn is refused unless the toolchain's
//     target is wasm32-wasip1-threads, and then threads share the one
//     memory; runner/engine TestThreadsNeedASharedMemory, TestMaxThreads).
//     Also outside it: each thread's call stack, which wazero grows to
//     about 100 MB at most, and the compiled module.
//   - the module loader: a module file is a regular file of 64 MiB at
//     most, opened without blocking; every count wazero allocates by is
//     checked against the bytes that would hold it and the JS API's
//     implementation limits, locals against the code's size
//     (engine/bounds.go, TestCountsAreBoundedBeforeDecoding,
//     TestLocalsAreBounded; FuzzLoadModule fuzzes reading and compiling a
//     module). A run's memory is released when its instantiation fails
//     (TestMemoryIsReleasedWhenInstantiationFails).
//   - the socket: the compile's macro socket answers only the rustc the
//     runner started (SO_PEERCRED), one request at a time
//     (TestServerAnswersOnlyTheAllowedProcess); rustc dies with the runner
//     and a killed runner's socket directory is removed by the next
//     (runner TestNativeRustcDiesWithTheRunner; a lock file, not a pid,
//     tells a live directory, as PID namespaces share /tmp:
//     TestListenRemovesStaleSocketDirs). The editor server's requests are
//     decoded whole, their text bounded by the line, before anything runs
//     (FuzzDecodeRequest), and a macro's output tokens must be what rustc's
//     proc_macro accepts.
//
// What the native rustc can still read. The expansion goes back to a
// native rustc, which could include_str! any file or option_env! any
// variable it can reach. It gets the action's environment and PATH and
// TMPDIR only (runner/rustc TestNativeEnvironmentIsTheActions), and after
// each compile the runner reads its dep-info: a file read outside the
// working directory, or one the action does not declare (native compiles
// that expand wasm macros get --inputs-from), or a host variable read
// through env!, fails the compile with no output left
// (TestNativeRustcReadsOnlyDeclaredFiles). That is detection after the
// fact: rustc has read the file, and a failing compile may print part of
// it in a diagnostic. What confines rustc before it reads is Bazel's
// sandbox, the default for native compiles, which shows it only the
// action's inputs under the execution root; paths outside it (/etc, a home
// directory) stay visible to it unless the user hides them
// (--sandbox_block_path, a hermetic sandbox).
//
// Tests. "runner test" keeps the first 256 KiB and the last 768 KiB of
// each test's output, at most 64 MiB in all, in its report and in
// test.xml, and at most 64 MiB of the harness's list (runner/testharness
// TestOutputIsBounded, TestReportBudget; runner
// TestTestVerbMemoryIsBounded: 512 MiB printed, about 50 MiB peak);
// FuzzParseList fuzzes the reading of the list. A failing test exits 101
// even when test.xml cannot be written (TestTestVerbXMLUnwritable).
//
// Crate metadata. What a dependency's Cargo.toml holds (through cargo
// metadata), the user's overrides and Cargo.lock reach the generated
// Starlark, then rustc's parameter file and environment. The generator
// (crates:generate) refuses, naming the crate, the key and the file, a value
// with a control character or bytes that are not UTF-8, a feature name
// with a quote or a backslash (it is written into --cfg=feature="..."),
// an empty cfg, flag or feature, an environment name that is not a name,
// and OUT_DIR or CARGO_MANIFEST_DIR in rustc_env or build_script_env;
// whatever it accepts parses back into the same values (crates
// TestBadInput; FuzzManifestToStarlark fuzzes the metadata and the
// overrides). It does not replace a file in --out that it did not write
// (TestHandWrittenFilesAreKept). The rules fail analysis on a control
// character in crate_features, rustc_flags or rustc_env, naming the target
// and the attribute (rules/tests/control_chars), and the runner refuses
// one in any argument, parameter-file line, --arg-file or --env-file line
// (runner TestRustcRefusesWhatWouldSplitOrClobber), so that a line break
// cannot become an argument of its own anywhere on the way.
//
// Outputs. An output flag (build-script's --out-dir, --flags-out and
// --env-out; rustc's --out and --audit-file; run's --audit-file; test's
// --xml) that is the working directory or a parent of it, or names an
// input or a parent of one, is an error before anything is removed: the
// verbs remove what is at an output's path before they run
// (runner/buildscript TestOutputsThatNameInputs; runner
// TestRustcRefusesWhatWouldSplitOrClobber,
// TestOutputFlagsCannotNameTheModule). --inputs-from lists paths below the
// working directory only.
//
// Replayed expansions (runner/macroexpand/memo.go). A compile replays an
// expansion whose key it has seen, without running the macro. That is
// sound only if the key holds everything the macro can observe, so the
// sandbox is what makes it so: the key holds the request (the token
// streams, with span ids numbered in token order, not source positions),
// the module's digest and the name it runs under, the limits, the
// environment in order, the paths of the files the view shows (which
// decide every listing and lookup), and the runner's own digest (its
// WASI: the fixed clock and seed, the file metadata it makes up, how it
// numbers inodes); the entry holds every path the run named in a path
// argument (wasi.Config.Named), found or not, with a digest of what was
// there (contents, a directory's names, absence), and is replayed only if
// each holds the same at lookup. A macro sees no
// host clock, randomness, file metadata, process or network, and no file
// the view does not show (runner/macroexpand TestExpansionIgnoresTheHost);
// nor the host's links: a deterministic run of a mount that follows them
// (the execution root, links in a sandbox and files outside one) shows a
// link as what it points to, for stat, directory entries, path_open and
// readlink, and a directory's size as 0 (runner/wasi
// TestDeterministicRunsSeeNoHostLinks);
// what it could still tell apart (its speed, the host's CPU) can only
// make it time out or trap, and such runs are not kept. Entries live in
// a directory only this user may write (as the compiled code does, which
// is worse: it runs as native code), are checksummed (a torn or altered
// file is a miss) and stay on the machine: no setting shares them, since
// the key says nothing of the CPU wazero compiled for. An expansion whose
// files changed between the run naming them and their digests (an edit
// saved during the compile) is not kept (wasi.NewStampingAudit), and an
// engine that allows threads keeps nothing, since its runs may differ by
// their schedule. Tests:
// runner/macroexpand TestMemoKeyCoversWhatTheMacroSees,
// TestMemoKeysOnlyTheFilesARunNamed, TestMemoReplaysWithoutRunning, TestMemoKeepsNoFailures,
// TestMemoIgnoresDamagedEntries; runner/rustc
// TestNativeMacrosReplayFromTheMemo. What can write the directory can
// decide what a crate expands to: any process of the same user, and, with
// the default directory below $TMPDIR, any sandboxed action of the same
// build (Bazel 4's sandbox shares /tmp), a genrule or a native build
// script among them, which could not write the sources. The compiled code
// of wazero's cache beside it has the same exposure, and worse (it runs
// as native code). Not defended; a build that runs untrusted actions
// turns the cache off (//settings:wasm_macro_cache=false) or gives each
// action its own /tmp (--sandbox_tmpfs_path=/tmp).
//
// Not defended: a guest's CPU time without --timeout (Bazel's own timeouts
// apply) and the memory a worker child uses (the kernel's OOM killer ends
// that child only); what the host allocates during a run is collected only
// after it; side channels (timing, cache); a native rustc or build
// script, which runs as a host process (use Bazel's sandbox for it; a
// native script that leaves its process group keeps running, and the
// runner stops reading its output a second after the script exits); the
// runner's own flags are trusted (they are checked only against mistakes
// that would destroy inputs); a library user of
// runner/engine whose run left a thread computing keeps the collector off
// for the rest of that process.
package main
