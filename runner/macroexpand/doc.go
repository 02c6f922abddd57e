// Package macroexpand is the expansion-time half of wasm proc macros: it
// runs the macro modules the build made (package macrobuild), for a
// native rustc's compile (runner rustc, through runner/rustc) and for the
// editor (runner proc-macro-server, through runner/procmacrosrv), with one
// engine configuration for both.
//
// What crosses the boundary:
//
//   - In: a module file, lib<crate>.wasm (module.go: OpenModule,
//     ReadModule; a regular file of MaxModuleBytes at most), whose custom
//     sections name its key and macros (macrobuild's DeclsSection and
//     KeySection); a foreign file is ErrNotOurs. The compile names its
//     modules with --wasm-macro, the editor with each request's path.
//   - Per expansion: a guest request on the module's stdin, and the
//     output framed at the end of its stdout; the export called is
//     Entry(kind, name). wire.go holds the whole layout, both directions,
//     in the format of proc_macro_wasm/wire.rs: Request, DecodeOutput,
//     Tree.
//   - The socket (server.go): a native rustc's shims reach the runner over
//     a Unix socket in a directory of its own (SocketEnv names it), one
//     frame a request (u32 length, str key, the guest request) and one a
//     response (u32 length, u8 status, str stdout, then the payload or a
//     message). The Server answers only the rustc the runner started
//     (Allow; SO_PEERCRED on Linux) and one expansion at a time.
//   - Out: a Response: the macro's output payload, its panic message, or
//     why the expansion failed (timeout, trap, unknown macro), with what
//     it printed. Failures are responses, never errors: the compile, or
//     the editor, reports them and goes on.
//
// What the guest sees is decided in one file, sandbox.go (NewWorld,
// runConfig, NewEngine): its input tokens; the environment it is given
// (the compiled crate's, as the compile gives rustc; nothing of the
// host's); the crate's declared inputs, read-only, below "/" (or no file
// at all); argv[0], the module's file name; a fixed clock, a fixed random
// seed and deterministic file metadata, so that an expansion depends on
// its input alone; no network (no sockets exist); no threads unless
// --macro-threads (Limits.Threads) allows wasi.thread-spawn; no start
// function.
//
// What it costs: a fresh instance per expansion, so no expansion sees
// another's state; a memory of up to Limits.MaxMemoryMiB, reserved as
// address space up front and committed as the macro grows it; the
// timeout for each expansion and for compiling a module. A module is
// compiled once, on its first expansion, and kept for every expansion
// after it (Module); the engine's compilation cache (engine.Config
// CacheDir) keeps the compiled code between processes. runner/rustc keeps
// one engine for each set of Limits for the life of its Service.
//
// Each expansion computed once (memo.go): since an expansion depends on
// what the sandbox shows alone, an Expander given a Memo (UseMemo) keys
// each expansion by all of it (the files by the paths the view shows and
// by what the run named of them) and replays what it kept, on this
// machine, across compiles and builds; only returns and panics are kept.
//
// runner/threatmodel.go says what the sandbox holds against, and which
// tests hold it.
package macroexpand
