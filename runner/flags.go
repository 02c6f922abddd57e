package main

// What every verb's command line shares.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
)

// newFlagSet is the flag set of "runner VERB": it reports to stderr, and
// its usage (--help) is the verb's text, then its flags.
func newFlagSet(verb string, stderr io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet("runner "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage+"\nflags:\n")
		fs.PrintDefaults()
	}
	return fs
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// envFlags are --env and --env-path, the environment of the program an
// action verb (rustc, build-script) runs.
type envFlags struct {
	env, envPaths listFlag
}

// register adds the flags to fs; whose is the program's ("rustc's"), and
// pathDoc says what the program gets of an --env-path's PATH.
func (e *envFlags) register(fs *flag.FlagSet, whose, pathDoc string) {
	fs.Var(&e.env, "env", "`NAME=VALUE` in "+whose+" environment (repeatable)")
	fs.Var(&e.envPaths, "env-path", "`NAME=PATH` in "+whose+" environment, PATH relative to the working directory"+pathDoc)
}

// paths are the --env-path values.
func (e *envFlags) paths() ([]action.EnvPath, error) { return action.ParseEnvPaths(e.envPaths) }

// cancelOnSignal is ctx, canceled when the runner gets SIGTERM or SIGINT,
// as Bazel cancels an action: what the verb runs is stopped and what it
// staged removed.
func cancelOnSignal(ctx context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
}

// parseFlags parses a verb's flags; ok false means the verb is done with
// status code: 0 after --help (the usage printed), exitFailure after bad
// flags (the flag package has said what is wrong).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0, false
		}
		return exitFailure, false
	}
	return 0, true
}

// parseFlagsOnly parses the flags of a verb that takes no other argument.
func parseFlagsOnly(fs *flag.FlagSet, args []string, stderr io.Writer) (code int, ok bool) {
	if code, ok := parseFlags(fs, args); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitFailure, false
	}
	return 0, true
}

// parseModuleVerb parses a verb whose first argument is MODULE.wasm. It
// returns the module and the arguments after it; ok false means the verb
// is done with status code (help, or bad flags).
func parseModuleVerb(fs *flag.FlagSet, args []string, stderr io.Writer) (module string, rest []string, code int, ok bool) {
	if code, ok := parseFlags(fs, args); !ok {
		return "", nil, code, false
	}
	if fs.NArg() < 1 {
		fmt.Fprintf(stderr, "%s: missing MODULE.wasm\n", fs.Name())
		fs.Usage()
		return "", nil, exitFailure, false
	}
	return fs.Arg(0), fs.Args()[1:], 0, true
}
