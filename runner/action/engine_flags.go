package action

import (
	"flag"
	"io"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// EngineFlags are the engine's flags, which every verb that runs wasm
// takes: --cache-dir and --no-cache.
type EngineFlags struct {
	CacheDir string
	NoCache  bool
}

// Register adds the flags to fs; of says whose code is cached, such as
// "of rustc.wasm" ("": the module's).
func (e *EngineFlags) Register(fs *flag.FlagSet, of string) {
	if of != "" {
		of = " " + of
	}
	fs.StringVar(&e.CacheDir, "cache-dir", engine.DefaultCacheDir(), "keep compiled code"+of+" in `DIR` between runs")
	fs.BoolVar(&e.NoCache, "no-cache", false, "keep compiled code in memory only")
}

// Config is the engine's configuration the flags ask for; warnings
// receives the engine's warnings (nil: none are shown).
func (e *EngineFlags) Config(warnings io.Writer) engine.Config {
	cfg := engine.Config{CacheDir: e.CacheDir, Warnings: warnings}
	if e.NoCache {
		cfg.CacheDir = ""
	}
	return cfg
}

// Args are the flags as a command line, for a child process that is to
// run with the same cache.
func (e *EngineFlags) Args() []string {
	args := []string{"--cache-dir", e.CacheDir}
	if e.NoCache {
		args = append(args, "--no-cache")
	}
	return args
}
