package main

import (
	"flag"
	"fmt"
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

// check refuses limits no expansion can run under, naming the flag.
func (m *macroLimits) check() error {
	if m.timeout <= 0 {
		return fmt.Errorf("--macro-timeout %v: want a positive duration", m.timeout)
	}
	if m.maxMemoryMiB == 0 || m.maxMemoryMiB > 4096 {
		return fmt.Errorf("--macro-max-memory %d: want 1 to 4096 (MiB)", m.maxMemoryMiB)
	}
	return nil
}

// limits are the flags' limits, for macroexpand.NewEngine.
func (m *macroLimits) limits() macroexpand.Limits {
	return macroexpand.Limits{Timeout: m.timeout, MaxMemoryMiB: uint32(m.maxMemoryMiB), Threads: m.threads}
}
