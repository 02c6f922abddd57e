// Package wasi implements WASI preview 1 (wasi_snapshot_preview1) as a wazero
// host module whose state belongs to a run, not to an instance.
//
// wazero's own WASI keeps one file-descriptor table per module instance, so a
// wasi-threads program, which runs one instance per thread, would see a
// different table on every thread. Here every host function finds the run's
// State through the context of the call, so all threads of a run share one
// fd table, one set of preopens and one current directory.
//
// Files are reached only through the mounts: each mount is an os.Root, which
// refuses any path that leaves it, through "..", symbolic links or absolute
// paths.
package wasi
