package main

// What every verb's command line shares.

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

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
