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
// paths. A mount that follows the host's links (a Bazel execroot) keeps the
// guest's own paths inside, and the guest can neither create a link there
// nor make or move a link anywhere so that it leads out of its mount
// (links.go). A View narrows a mount to an action's declared inputs and
// output directories (view.go); an Audit records what the guest opened.
package wasi
