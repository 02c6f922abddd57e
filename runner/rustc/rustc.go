// Package rustc runs one rustc invocation for a Bazel action: rustc.wasm in
// wazero or a native rustc, with its declared outputs written under
// temporary names and renamed only when rustc succeeds.
package rustc

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// Request is one rustc invocation.
type Request struct {
	Compiler string   // rustc.wasm (run in wazero) or a native rustc executable
	Outputs  []string // declared outputs, relative to Dir or absolute
	Env      []string // NAME=VALUE: rustc.wasm's whole environment; added to a native rustc's
	Args     []string // rustc's arguments; @FILE arguments are expanded
	Dir      string   // the working directory (execroot or sandbox); "" is the current one
	Stdout   io.Writer
	Stderr   io.Writer
}

// IsWasm reports whether compiler runs in wazero rather than natively.
func IsWasm(compiler string) bool { return strings.HasSuffix(compiler, ".wasm") }

// Modules compiles each rustc.wasm once and keeps it for later requests.
// A module is known by its path, size and modification time: a worker
// outlives the builds it serves, and rustc.wasm may change between them.
type Modules struct {
	Engine *engine.Engine
	mu     sync.Mutex
	byPath map[string]*engine.Module
}

func (m *Modules) get(ctx context.Context, path string) (*engine.Module, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%d|%d", path, fi.Size(), fi.ModTime().UnixNano())
	m.mu.Lock()
	defer m.mu.Unlock()
	if mod, ok := m.byPath[key]; ok {
		return mod, nil
	}
	mod, err := m.Engine.CompileFile(ctx, path)
	if err != nil {
		return nil, err
	}
	if m.byPath == nil {
		m.byPath = map[string]*engine.Module{}
	}
	m.byPath[key] = mod
	return mod, nil
}

// under resolves p against dir, the request's working directory ("" is the
// process's own).
func under(dir, p string) string {
	if filepath.IsAbs(p) || dir == "" {
		return p
	}
	return filepath.Join(dir, p)
}

// ExpandParams replaces each @FILE argument by the lines of FILE, as rustc
// and Bazel's "multiline" parameter files have them.
func ExpandParams(dir string, args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if !strings.HasPrefix(a, "@") || len(a) == 1 {
			out = append(out, a)
			continue
		}
		f, err := os.Open(under(dir, a[1:]))
		if err != nil {
			return nil, fmt.Errorf("parameter file %s: %w", a[1:], err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			out = append(out, sc.Text())
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("parameter file %s: %w", a[1:], err)
		}
	}
	return out, nil
}

// staging moves outputs through temporary directories beside them.
type staging struct {
	dir     string
	final   []string          // as given
	tmpOf   map[string]string // output -> temporary path (both as given)
	tmpDirs []string
}

// stage prepares the temporary directories. Their names derive from the
// action's outputs, not from chance: rustc sees them on its command line,
// and the same action must give the same bytes every time.
func stage(dir string, outputs []string) (*staging, error) {
	s := &staging{dir: dir, final: outputs, tmpOf: map[string]string{}}
	sorted := append([]string(nil), outputs...)
	sort.Strings(sorted)
	sum := sha256.Sum256([]byte(strings.Join(sorted, "\x00")))
	name := ".rustc-tmp-" + hex.EncodeToString(sum[:6])
	dirOf := map[string]string{}
	for _, o := range outputs {
		parent := filepath.Dir(o)
		tmp, ok := dirOf[parent]
		if !ok {
			tmp = filepath.Join(parent, name)
			// Left over from a run that was killed: start afresh.
			os.RemoveAll(s.abs(tmp))
			if err := os.MkdirAll(s.abs(tmp), 0o755); err != nil {
				s.discard()
				return nil, fmt.Errorf("output %s: %w", o, err)
			}
			dirOf[parent] = tmp
			s.tmpDirs = append(s.tmpDirs, tmp)
		}
		s.tmpOf[o] = filepath.Join(tmp, filepath.Base(o))
	}
	return s, nil
}

func (s *staging) abs(p string) string { return under(s.dir, p) }

// rewrite points every mention of an output in args at its temporary path.
func (s *staging) rewrite(args []string) []string {
	outs := append([]string(nil), s.final...)
	sort.Slice(outs, func(i, j int) bool { return len(outs[i]) > len(outs[j]) })
	pairs := make([]string, 0, 2*len(outs))
	for _, o := range outs {
		pairs = append(pairs, o, s.tmpOf[o])
	}
	r := strings.NewReplacer(pairs...)
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = r.Replace(a)
	}
	return out
}

// outDir sends rustc's intermediate files (object files, temporary
// directories) into the action's staging directory, unless the arguments
// already choose a directory. Otherwise rustc writes them into its working
// directory, which the concurrent requests of a worker share.
func (s *staging) outDir(args []string) []string {
	if len(s.tmpDirs) == 0 {
		return args
	}
	for _, a := range args {
		if a == "--out-dir" || strings.HasPrefix(a, "--out-dir=") {
			return args
		}
	}
	return append(args, "--out-dir="+s.tmpDirs[0])
}

// commit renames every output into place; a missing one is an error.
func (s *staging) commit() error {
	for _, o := range s.final {
		if _, err := os.Stat(s.abs(s.tmpOf[o])); err != nil {
			s.discard()
			return fmt.Errorf("rustc succeeded but did not write %s", o)
		}
	}
	for _, o := range s.final {
		if err := os.Rename(s.abs(s.tmpOf[o]), s.abs(o)); err != nil {
			s.discard()
			for _, o := range s.final {
				os.Remove(s.abs(o))
			}
			return fmt.Errorf("output %s: %w", o, err)
		}
	}
	s.discard()
	return nil
}

func (s *staging) discard() {
	for _, d := range s.tmpDirs {
		os.RemoveAll(s.abs(d))
	}
}

// Run runs the request and returns rustc's exit code. An error means rustc
// could not be run or its outputs not put in place; no output is left
// behind then, nor when rustc fails.
func Run(ctx context.Context, mods *Modules, req Request) (int, error) {
	if req.Compiler == "" {
		return 0, errors.New("--compiler is required")
	}
	args, err := ExpandParams(req.Dir, req.Args)
	if err != nil {
		return 0, err
	}
	st, err := stage(req.Dir, req.Outputs)
	if err != nil {
		return 0, err
	}
	args = st.outDir(st.rewrite(args))
	dir, err := filepath.Abs(under(req.Dir, "."))
	if err != nil {
		st.discard()
		return 0, err
	}
	var code int
	if IsWasm(req.Compiler) {
		code, err = runWasm(ctx, mods, req, dir, args)
	} else {
		code, err = runNative(ctx, req, dir, args)
	}
	if err != nil || code != 0 {
		st.discard()
		return code, err
	}
	return 0, st.commit()
}

// runWasm runs rustc.wasm with dir, the absolute working directory,
// mounted at /.
func runWasm(ctx context.Context, mods *Modules, req Request, dir string, args []string) (int, error) {
	mod, err := mods.get(ctx, under(req.Dir, req.Compiler))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, fmt.Errorf("--compiler %s: no such file", req.Compiler)
		}
		return 0, err
	}
	cfg := engine.RunConfig{}
	cfg.Args = append([]string{"rustc"}, args...)
	cfg.Env = req.Env
	cfg.Stdout, cfg.Stderr = req.Stdout, req.Stderr
	cfg.Mounts = []wasi.Mount{{HostPath: dir, GuestPath: "/", FollowHostLinks: true}}
	// Builds must not depend on the time of day or on chance.
	cfg.Deterministic = true
	code, err := mod.Run(ctx, cfg)
	return int(code), err
}

// runNative runs a native rustc in dir, the absolute working directory.
func runNative(ctx context.Context, req Request, dir string, args []string) (int, error) {
	// A native rustc records absolute source paths; the working directory
	// differs between a sandbox, the execroot (a worker) and machines, so
	// name it "." (rustc.wasm always sees "/").
	args = append(args, "--remap-path-prefix="+dir+"=.")
	cmd := exec.CommandContext(ctx, req.Compiler, args...)
	cmd.Dir = req.Dir
	// A native rustc needs the action's environment (PATH for the linker).
	cmd.Env = append(os.Environ(), req.Env...)
	cmd.Stdout, cmd.Stderr = req.Stdout, req.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() < 0 {
			return 0, fmt.Errorf("rustc %s: %v", req.Compiler, err)
		}
		return exit.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("--compiler %s: %w", req.Compiler, err)
	}
	return 0, nil
}
