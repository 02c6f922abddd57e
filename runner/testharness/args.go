package testharness

import (
	"fmt"
	"strconv"
	"strings"
)

// Args is what the runner understands of a libtest command line (the
// arguments after the module, `bazel test --test_arg=...`).
type Args struct {
	// Filters select the tests whose name contains one of them (equals
	// one of them with Exact); none selects every test.
	Filters []string
	// Skips leave out the tests whose name contains one of them (equals
	// one of them with Exact).
	Skips []string
	Exact bool
	// Ignored runs only the ignored tests; IncludeIgnored runs them too.
	Ignored, IncludeIgnored bool
	// ShowOutput prints the output of the tests that passed too
	// (--show-output, --nocapture).
	ShowOutput bool
	// TestThreads is --test-threads; 0 if not given.
	TestThreads int
	// List is --list: the harness is run once with the arguments as given.
	List bool
}

// ignoredFlags are libtest flags that change how the harness prints or
// orders tests, not which tests run; the runner prints its own report, so
// it accepts them and does nothing with them. The map says whether the
// flag takes a value.
var ignoredFlags = map[string]bool{
	"-q": false, "--quiet": false, "--color": true, "--format": true, "--logfile": true,
	"-Z": true, "--report-time": false, "--ensure-time": false, "--shuffle": false,
	"--shuffle-seed": true, "--test": false, "--bench": false, "--force-run-in-process": false,
}

// ParseArgs reads a libtest command line. It rejects a flag libtest does
// not have, as libtest would.
func ParseArgs(args []string) (Args, error) {
	var a Args
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, val, hasVal := strings.Cut(arg, "=")
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			a.Filters = append(a.Filters, arg)
			continue
		}
		if arg == "--" {
			a.Filters = append(a.Filters, args[i+1:]...)
			break
		}
		value := func() (string, error) {
			if hasVal {
				return val, nil
			}
			if i+1 >= len(args) {
				return "", fmt.Errorf("argument to option '%s' missing", strings.TrimLeft(name, "-"))
			}
			i++
			return args[i], nil
		}
		switch name {
		case "--exact":
			a.Exact = true
		case "--ignored":
			a.Ignored = true
		case "--include-ignored":
			a.IncludeIgnored = true
		case "--nocapture", "--show-output":
			a.ShowOutput = true
		case "--list":
			a.List = true
		case "--skip":
			v, err := value()
			if err != nil {
				return a, err
			}
			a.Skips = append(a.Skips, v)
		case "--test-threads":
			v, err := value()
			if err != nil {
				return a, err
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return a, fmt.Errorf("argument for --test-threads must be a number > 0 (got %s)", v)
			}
			a.TestThreads = n
		default:
			takesValue, ok := ignoredFlags[name]
			if !ok && strings.HasPrefix(name, "-Z") {
				continue // -Zunstable-options
			}
			if !ok {
				return a, fmt.Errorf("unrecognized option: '%s'", strings.TrimLeft(name, "-"))
			}
			if takesValue && !hasVal {
				if _, err := value(); err != nil {
					return a, err
				}
			}
		}
	}
	return a, nil
}

// Select returns the tests of names that a libtest run with these
// arguments would run, in order, and how many it filtered out.
func (a Args) Select(names []string) (selected []string, filteredOut int) {
	match := func(name, pat string) bool {
		if a.Exact {
			return name == pat
		}
		return strings.Contains(name, pat)
	}
	for _, n := range names {
		ok := len(a.Filters) == 0
		for _, f := range a.Filters {
			ok = ok || match(n, f)
		}
		for _, s := range a.Skips {
			ok = ok && !match(n, s)
		}
		if ok {
			selected = append(selected, n)
		} else {
			filteredOut++
		}
	}
	return selected, filteredOut
}
