package rustc

// A native rustc's environment: what the action declares, and the few
// variables of the runner's own that rustc and its linker need to run.
// Whatever else the runner was started with stays out: a crate's or a
// macro's env!/option_env! would embed it (a secret, a machine's path),
// and variables such as RUSTC_BOOTSTRAP or RUSTC_LOG change what rustc does
// without the action saying so.

import (
	"os"
	"path/filepath"
)

// hostVarsForRustc are the runner's own variables a native rustc gets,
// unless the action sets them itself:
//
//   - PATH: rustc runs its linker by name (cc, or the -C linker given), and
//     cc finds as and ld on PATH; without it rustc fails with "linker `cc`
//     not found". Bazel sets it (use_default_shell_env; under
//     --incompatible_strict_action_env a fixed one).
//   - TMPDIR: where cc and collect2 write their temporary files (rustc's
//     own go into the output directory); Bazel points it into the sandbox.
//
// Not LD_LIBRARY_PATH: rustup's and the distribution's rustc find
// librustc_driver by their RUNPATH ($ORIGIN/../lib; the toolchain checks
// it), Debian's in the system's library directories. Not HOME: rustc does
// not read it, and rustup's proxy falls back to the password database.
var hostVarsForRustc = []string{"PATH", "TMPDIR"}

// nativeEnv is a native rustc's environment in dir, the absolute working
// directory: hostVarsForRustc from the runner's environment, then the
// request's own (which take precedence: exec keeps the last of a name). It
// also returns the names taken from the host, which the compile does not
// declare.
func nativeEnv(req Request, dir string) (vars []string, fromHost map[string]bool) {
	declared := env(req, func(p string) string { return filepath.Join(dir, p) })
	fromHost = map[string]bool{}
	for _, name := range hostVarsForRustc {
		if v, ok := os.LookupEnv(name); ok && !setIn(declared, name) {
			vars = append(vars, name+"="+v)
			fromHost[name] = true
		}
	}
	return append(vars, declared...), fromHost
}

// setIn reports whether env, NAME=VALUE pairs, sets name.
func setIn(env []string, name string) bool {
	for _, kv := range env {
		if len(kv) > len(name) && kv[len(name)] == '=' && kv[:len(name)] == name {
			return true
		}
	}
	return false
}
