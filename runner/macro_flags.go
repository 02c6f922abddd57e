package main

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// macroLimits are the flags that bound one wasm proc macro's expansion,
// which the verbs that expand (rustc, proc-macro-server) share.
type macroLimits struct {
	timeout      time.Duration
	maxMemoryMiB uint
	threads      bool
}

// register adds --macro-timeout, --macro-max-memory and --macro-threads to fs; timeoutDoc
// says what a timeout does for the verb.
func (m *macroLimits) register(fs *flag.FlagSet, timeoutDoc string) {
	fs.DurationVar(&m.timeout, "macro-timeout", macroexpand.DefaultTimeout, "stop a wasm proc macro's expansion after `DURATION`"+timeoutDoc)
	fs.UintVar(&m.maxMemoryMiB, "macro-max-memory", macroexpand.DefaultMemoryMiB, "cap a wasm proc macro's memory at `MIB` MiB")
	fs.BoolVar(&m.threads, "macro-threads", false, "the macro modules are built for wasm32-wasip1-threads: allow wasi.thread-spawn (threads share the macro's memory, under the cap); without it a module importing it is refused")
}

// check refuses limits no expansion can run under, naming the flag. The
// numbers are macroexpand.Limits.Validate's; a zero, which Limits takes
// for its default, is refused here (the flags' defaults are written out),
// and so is a memory cap too large for Limits' 32 bits.
func (m *macroLimits) check() error {
	err := m.limits().Validate()
	if m.timeout == 0 || errors.Is(err, macroexpand.ErrTimeout) {
		return fmt.Errorf("--macro-timeout %v: want a positive duration", m.timeout)
	}
	if m.maxMemoryMiB == 0 || m.maxMemoryMiB > math.MaxUint32 || errors.Is(err, macroexpand.ErrMemoryMiB) {
		return fmt.Errorf("--macro-max-memory %d: want 1 to %d (MiB)", m.maxMemoryMiB, macroexpand.MaxMemoryMiB)
	}
	return err
}

// limits are the flags' limits, for macroexpand.NewEngine.
func (m *macroLimits) limits() macroexpand.Limits {
	return macroexpand.Limits{Timeout: m.timeout, MaxMemoryMiB: uint32(m.maxMemoryMiB), Threads: m.threads}
}

// macroMemoFlags say where the expansions of wasm proc macros are kept
// (macroexpand.Memo), for the verbs that expand.
type macroMemoFlags struct {
	dir    string
	off    bool
	maxMiB int
	report bool
}

// register adds --macro-cache-dir, --no-macro-cache, --macro-cache-max-mib
// and --macro-cache-report to fs.
func (m *macroMemoFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&m.dir, "macro-cache-dir", "", "keep the expansions of wasm proc macros in `DIR`, to replay one whose module, input and world were seen before (default: beside the compiled code of --cache-dir's default)")
	fs.BoolVar(&m.off, "no-macro-cache", false, "run every expansion of wasm proc macros; keep none")
	fs.IntVar(&m.maxMiB, "macro-cache-max-mib", macroexpand.DefaultMemoMiB, "bound the expansion cache to `MIB` MiB, dropping the least recently used")
	fs.BoolVar(&m.report, "macro-cache-report", false, "print how many expansions were replayed from the cache and how many ran")
}

// open is the memo the flags ask for: nil with --no-macro-cache, or when
// no --macro-cache-dir is given and the default place cannot hold one
// (expansions then run, as without a cache). A --macro-cache-dir that
// cannot be used is an error naming it.
func (m *macroMemoFlags) open() (*macroexpand.Memo, error) {
	if m.maxMiB <= 0 {
		return nil, fmt.Errorf("--macro-cache-max-mib %d: want a positive size", m.maxMiB)
	}
	if m.off {
		return nil, nil
	}
	if m.dir == "" {
		dir := macroexpand.DefaultMemoDir()
		if dir == "" {
			return nil, nil
		}
		memo, err := macroexpand.OpenMemo(dir, m.maxMiB)
		if err != nil {
			return nil, nil
		}
		return memo, nil
	}
	memo, err := macroexpand.OpenMemo(m.dir, m.maxMiB)
	if err != nil {
		return nil, fmt.Errorf("--macro-cache-dir %s: %v", m.dir, err)
	}
	return memo, nil
}
