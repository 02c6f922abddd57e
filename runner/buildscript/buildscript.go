// Package buildscript runs a Cargo build script (a compiled build.rs) for a
// Bazel action, under Cargo's contract: OUT_DIR and CARGO_MANIFEST_DIR set,
// the manifest directory as the working directory, and the script's
// "cargo:" instructions turned into files the crate's compile reads.
//
// A script ending in .wasm runs in wazero, with the manifest directory
// mounted read-only at / (the guest's working directory) and OUT_DIR
// writable at /out_dir; any other script runs as a native executable with
// a clean environment. Outputs appear only when the script succeeds: OUT_DIR
// is filled, and the flag and env files written, in a staging directory
// beside them (action.Stage), and renamed into place.
package buildscript

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// Guest paths of a .wasm script.
const (
	GuestManifestDir = "/"
	GuestOutDir      = "/out_dir" // another name if the manifest directory has an entry "out_dir"
)

// Request is one run of a build script.
type Request struct {
	Script      string   // the compiled script: .wasm runs in wazero, anything else natively
	Args        []string // the script's arguments after argv[0]
	OutDir      string   // OUT_DIR; emptied, and kept only if the script succeeds
	ManifestDir string   // CARGO_MANIFEST_DIR and the script's working directory
	FlagsOut    string   // written on success: rustc arguments, one a line ("": not written)
	EnvOut      string   // written on success: NAME=VALUE lines for rustc-env ("": not written)
	Env         []string // NAME=VALUE: the script's environment, besides OUT_DIR, CARGO_MANIFEST_DIR (and PATH, natively)
	// EnvPaths name paths relative to Dir or absolute, such as RUSTC. A
	// native script, which runs in the manifest directory, gets them
	// absolute; a .wasm script, which sees only the manifest directory
	// and OUT_DIR, gets them as given. An Env entry of the same name wins.
	EnvPaths  []action.EnvPath
	ExtraCfgs []string // cfgs always added to the flags
	WasmCfgs  []string // cfgs added when the script is .wasm
	Target    string   // the crate's target triple
	Crate     string   // the crate's name, for messages
	Dir       string   // the action's working directory, against which paths resolve; "" is the current one
	// Timeout stops the script after this long (0: no limit): a native
	// script's process group is killed, a .wasm one's run ended.
	Timeout time.Duration
	Stderr  io.Writer
	Engine  *engine.Engine // runs a .wasm script
}

// Failure is a build script that failed: it exited non-zero, trapped, wrote
// outside OUT_DIR or printed instructions that cannot be followed. Any other
// error of Run is the runner's.
type Failure struct {
	Crate  string
	Reason string // such as "exit 3"
	Detail string // more lines explaining Reason, or ""
	Code   int    // the exit status to report (unless Trap or Timeout)
	Trap   *engine.TrapError
	// Timeout is set when the script ran longer than Request.Timeout.
	Timeout time.Duration
	Wasm    bool
	// Stdout and Stderr are what the report shows of the script's output:
	// all of it, or its first ReportHead and last ReportTail bytes with a
	// line saying how much was left out.
	Stdout []byte
	Stderr []byte
}

func (f *Failure) Error() string {
	return fmt.Sprintf("build script of crate %s failed (%s)", f.Crate, f.Reason)
}

// Report writes the failure for a person: what failed, then the script's
// stderr and stdout, bounded, their control characters escaped
// (Printable).
func (f *Failure) Report(w io.Writer) {
	fmt.Fprintln(w, f.Error())
	if f.Detail != "" {
		fmt.Fprintln(w, Printable(strings.TrimRight(f.Detail, "\n")))
	}
	if f.Wasm && (f.Trap != nil || strings.HasPrefix(f.Reason, "exit")) {
		fmt.Fprintf(w, "note: the script ran in wazero, where CARGO_MANIFEST_DIR (%s) is read-only and only OUT_DIR can be written; it cannot run programs such as $RUSTC\n", GuestManifestDir)
	}
	for _, s := range []struct {
		name string
		b    []byte
	}{{"stderr", f.Stderr}, {"stdout", f.Stdout}} {
		if len(s.b) == 0 {
			continue
		}
		fmt.Fprintf(w, "--- %s of the build script:\n%s", s.name, Printable(string(s.b)))
		if !bytes.HasSuffix(s.b, []byte("\n")) {
			fmt.Fprintln(w)
		}
	}
}

// paths are a request's paths, absolute.
type paths struct {
	dir, script, manifest, out string
	outTmp                     string   // OUT_DIR while the script runs, in the staging directory
	staging                    []string // the staging directories and their lock files
}

func resolve(req *Request) (*paths, error) {
	if req.Script == "" {
		return nil, errors.New("no build script given")
	}
	if req.OutDir == "" {
		return nil, errors.New("--out-dir is required")
	}
	if req.ManifestDir == "" {
		return nil, errors.New("--manifest-dir is required")
	}
	var p paths
	var err error
	for _, x := range []struct {
		dst *string
		src string
	}{{&p.dir, "."}, {&p.script, req.Script}, {&p.manifest, req.ManifestDir}, {&p.out, req.OutDir}} {
		if *x.dst, err = action.Abs(req.Dir, x.src); err != nil {
			return nil, err
		}
	}
	fi, err := os.Stat(p.manifest)
	if err != nil {
		return nil, fmt.Errorf("--manifest-dir %s: %w", req.ManifestDir, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("--manifest-dir %s: not a directory", req.ManifestDir)
	}
	if fi, err := os.Stat(p.script); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("build script %s: no such file", req.Script)
		}
		return nil, fmt.Errorf("build script %s: %w", req.Script, err)
	} else if fi.IsDir() {
		return nil, fmt.Errorf("build script %s: is a directory", req.Script)
	}
	outputs := []action.FlagPath{{Flag: "--out-dir", Path: req.OutDir}, {Flag: "--flags-out", Path: req.FlagsOut}, {Flag: "--env-out", Path: req.EnvOut}}
	inputs := []action.FlagPath{{Flag: "build script", Path: req.Script}, {Flag: "--manifest-dir", Path: req.ManifestDir}}
	if err := action.CheckOutputs(req.Dir, outputs, inputs); err != nil {
		return nil, err
	}
	if err := checkNotInManifest(req.Dir, req.ManifestDir, outputs); err != nil {
		return nil, err
	}
	return &p, nil
}

// notWatched are the paths a native script's manifest directory may hold
// that are not the script's to keep untouched: OUT_DIR, and, when the crate
// is at the root of the workspace (the manifest directory is the execroot),
// Bazel's outputs and external repositories, which other actions change.
func (p *paths) notWatched() []string {
	return append([]string{p.out, filepath.Join(p.dir, "bazel-out"), filepath.Join(p.dir, "external")}, p.staging...)
}

// checkEnv rejects malformed environment entries and the names the runner
// sets.
func checkEnv(req *Request) error {
	check := func(flag, e, name string, ok bool) error {
		if !ok || name == "" {
			return fmt.Errorf("%s %q: want NAME=VALUE", flag, e)
		}
		if name == "OUT_DIR" || name == "CARGO_MANIFEST_DIR" {
			return fmt.Errorf("%s %q: the runner sets %s itself", flag, e, name)
		}
		return nil
	}
	for _, e := range req.Env {
		name, _, ok := strings.Cut(e, "=")
		if err := check("--env", e, name, ok); err != nil {
			return err
		}
	}
	for _, e := range req.EnvPaths {
		if err := check("--env-path", e.Name+"="+e.Path, e.Name, e.Path != ""); err != nil {
			return err
		}
	}
	return nil
}

// ran is how a script's run ended.
type ran struct {
	code           int
	trap           *engine.TrapError
	timedOut       bool
	stdout, stderr *capture
	outDir         string   // OUT_DIR as the script saw it
	before         snapshot // the manifest directory before a native run
}

// Run runs the request. A *Failure means the build script failed; any
// other error, that the runner could not run it. Either way no output is
// left behind: OUT_DIR, the flag file and the env file exist only after a
// success.
func Run(ctx context.Context, req Request) error {
	if req.Crate == "" {
		req.Crate = strings.TrimSuffix(filepath.Base(req.Script), ".wasm")
	}
	if req.Stderr == nil {
		req.Stderr = io.Discard
	}
	p, err := resolve(&req)
	if err != nil {
		return err
	}
	if err := checkEnv(&req); err != nil {
		return err
	}
	wasm := action.IsWasm(req.Script)
	if wasm && req.Engine == nil {
		return errors.New("a .wasm build script needs an engine")
	}
	outputs := []string{req.OutDir}
	for _, f := range []string{req.FlagsOut, req.EnvOut} {
		if f != "" {
			outputs = append(outputs, f)
		}
	}
	var finals []string
	for _, o := range outputs {
		a, err := action.Abs(req.Dir, o)
		if err != nil {
			return err
		}
		finals = append(finals, a)
	}
	// An output from before must not survive a failure. The staging
	// directories go beside the outputs, in directories that may not exist
	// yet.
	for i, o := range finals {
		os.RemoveAll(o)
		if err := os.MkdirAll(filepath.Dir(o), 0o755); err != nil {
			if i == 0 {
				return fmt.Errorf("--out-dir %s: %w", req.OutDir, err)
			}
			return err
		}
	}
	st, err := action.Stage(req.Dir, "build-script", outputs)
	if err != nil {
		return err
	}
	discard := func() {
		st.Discard()
		for _, o := range finals {
			os.RemoveAll(o)
		}
	}
	if p.outTmp, err = action.Abs(req.Dir, st.Path(req.OutDir)); err != nil {
		discard()
		return err
	}
	for _, d := range st.Dirs() {
		a, err := action.Abs(req.Dir, d)
		if err != nil {
			discard()
			return err
		}
		p.staging = append(p.staging, a, a+".lock")
	}
	if err := os.MkdirAll(p.outTmp, 0o755); err != nil {
		discard()
		return fmt.Errorf("--out-dir %s: %w", req.OutDir, err)
	}

	var r *ran
	if wasm {
		r, err = runWasm(ctx, &req, p)
	} else {
		r, err = runNative(ctx, &req, p)
	}
	if err != nil {
		discard()
		return err
	}
	fail := func(reason, detail string) error {
		discard()
		code := r.code
		if code < 1 || code > 255 {
			code = 1
		}
		f := &Failure{Crate: req.Crate, Reason: reason, Detail: detail, Code: code, Trap: r.trap,
			Wasm: wasm, Stdout: r.stdout.excerpt("stdout"), Stderr: r.stderr.excerpt("stderr")}
		if r.timedOut {
			f.Timeout = req.Timeout
		}
		return f
	}
	switch {
	case r.timedOut:
		return fail(fmt.Sprintf("it did not finish within %v", req.Timeout), "")
	case r.trap != nil:
		return fail("trapped", "")
	case r.code != 0:
		return fail(fmt.Sprintf("exit %d", r.code), "")
	}
	if !wasm {
		if err := checkUntouched(r, p); err != nil {
			return fail("it wrote outside OUT_DIR", err.Error())
		}
	}
	lines, err := r.stdout.instructions()
	var ins *Instructions
	if err == nil {
		ins, err = parseInstructions(lines, ParseOptions{Target: req.Target, Crate: req.Crate, OutDir: r.outDir, Final: req.OutDir})
	}
	if err != nil {
		return fail("bad output", err.Error())
	}
	flags := ins.Flags
	for _, c := range req.ExtraCfgs {
		flags = append(flags, "--cfg="+c)
	}
	if wasm {
		for _, c := range req.WasmCfgs {
			flags = append(flags, "--cfg="+c)
		}
	}
	if err := commit(&req, st, flags, ins.Env); err != nil {
		discard()
		return err
	}
	for _, w := range ins.Warnings {
		fmt.Fprintf(req.Stderr, "warning: %s@build-script: %s\n", req.Crate, Printable(w))
	}
	return nil
}

// checkUntouched compares the manifest directory with its snapshot.
func checkUntouched(r *ran, p *paths) error {
	after, err := takeSnapshot(p.manifest, p.notWatched()...)
	if err != nil {
		return err
	}
	if ch := r.before.changes(after); len(ch) > 0 {
		return fmt.Errorf("a build script may write only into OUT_DIR, but in CARGO_MANIFEST_DIR (%s) these changed:\n  %s",
			p.manifest, strings.Join(ch, "\n  "))
	}
	return nil
}

// commit writes the flag and env files into the staging directory, then
// renames OUT_DIR and them into place.
func commit(req *Request, st *action.Staging, flags, env []string) error {
	for _, f := range []struct {
		name  string
		lines []string
	}{{req.FlagsOut, flags}, {req.EnvOut, env}} {
		if f.name == "" {
			continue
		}
		var b strings.Builder
		for _, l := range f.lines {
			b.WriteString(l)
			b.WriteByte('\n')
		}
		if err := st.Write(f.name, []byte(b.String())); err != nil {
			return err
		}
	}
	err := st.Commit()
	var ce *action.CommitError
	switch {
	case errors.As(err, &ce) && ce.Output == req.OutDir:
		return fmt.Errorf("--out-dir %s: %w", req.OutDir, ce.Err)
	case errors.As(err, &ce):
		return ce.Err
	}
	return err
}

// scriptEnv is a script's environment: the EnvPaths, with their paths
// through path, then Env, where a later entry replaces an earlier one of
// the same name, then OUT_DIR and CARGO_MANIFEST_DIR.
func scriptEnv(req *Request, path func(string) string, outDir, manifestDir string) []string {
	var env []string
	index := map[string]int{}
	set := func(name, value string) {
		if i, ok := index[name]; ok {
			env[i] = name + "=" + value
			return
		}
		index[name] = len(env)
		env = append(env, name+"="+value)
	}
	for _, e := range req.EnvPaths {
		set(e.Name, path(e.Path))
	}
	for _, e := range req.Env {
		name, value, _ := strings.Cut(e, "=")
		set(name, value)
	}
	return append(env, "OUT_DIR="+outDir, "CARGO_MANIFEST_DIR="+manifestDir)
}

// exitGrace is how long, once a native script has exited and its process
// group has been killed, the runner waits for its output pipes to close: a
// process that left the group may hold them open.
const exitGrace = time.Second

// runNative runs a native script in the manifest directory with a clean
// environment, in a process group of its own. When the script exits, is
// canceled or runs out of time, the group is killed: no child it started
// outlives it, holds up the action or adds to its output.
func runNative(ctx context.Context, req *Request, p *paths) (*ran, error) {
	before, err := takeSnapshot(p.manifest, p.notWatched()...)
	if err != nil {
		return nil, err
	}
	abs := func(path string) string {
		if filepath.IsAbs(path) {
			return path
		}
		return filepath.Join(p.dir, path)
	}
	env := scriptEnv(req, abs, p.outTmp, p.manifest)
	if path, ok := os.LookupEnv("PATH"); ok {
		env = append(env, "PATH="+path)
	}
	runCtx := ctx
	if req.Timeout > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, req.Timeout)
		defer cancel()
	}
	r := &ran{stdout: newCapture(true), stderr: newCapture(false), outDir: p.outTmp, before: before}

	// Pipes of our own: with exec's, Wait would wait for every process
	// that holds them, the script's children too.
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, err
	}
	defer outR.Close()
	defer errR.Close()
	cmd := exec.Command(p.script, req.Args...)
	cmd.Dir = p.manifest
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = outW, errW
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = cmd.Start()
	outW.Close()
	errW.Close()
	if err != nil {
		return nil, fmt.Errorf("build script %s: %w", req.Script, err)
	}
	var copies sync.WaitGroup
	for _, c := range []struct {
		from *os.File
		into *capture
	}{{outR, r.stdout}, {errR, r.stderr}} {
		copies.Add(1)
		go func() {
			defer copies.Done()
			io.Copy(c.into, c.from)
		}()
	}
	group := cmd.Process.Pid
	killGroup := func() { syscall.Kill(-group, syscall.SIGKILL) }
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	var werr error
	select {
	case werr = <-waited:
	case <-runCtx.Done():
		killGroup()
		werr = <-waited
	}
	// What the script left running goes with it.
	killGroup()
	copied := make(chan struct{})
	go func() {
		copies.Wait()
		close(copied)
	}()
	select {
	case <-copied:
	case <-time.After(exitGrace):
		// A process outside the group holds a pipe: stop reading.
		outR.Close()
		errR.Close()
		<-copied
	}

	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case runCtx.Err() != nil:
		r.timedOut = true
		return r, nil
	}
	var exit *exec.ExitError
	switch {
	case errors.As(werr, &exit):
		r.code = exit.ExitCode()
		if r.code < 0 {
			r.code = 1
			fmt.Fprintf(r.stderr, "(%v)\n", exit)
		}
	case werr != nil:
		return nil, fmt.Errorf("build script %s: %w", req.Script, werr)
	}
	return r, nil
}

// guestOutDir is where OUT_DIR appears to a .wasm script: a name the
// manifest directory does not use, since it is mounted at /.
func guestOutDir(manifest string) string {
	g := GuestOutDir
	for i := 2; ; i++ {
		if _, err := os.Lstat(filepath.Join(manifest, strings.TrimPrefix(g, "/"))); errors.Is(err, os.ErrNotExist) {
			return g
		}
		g = fmt.Sprintf("%s.%d", GuestOutDir, i)
	}
}

// runWasm runs a .wasm script in wazero.
func runWasm(ctx context.Context, req *Request, p *paths) (*ran, error) {
	mod, err := req.Engine.CompileFile(ctx, p.script)
	if err != nil {
		return nil, fmt.Errorf("build script %s: %w", req.Script, err)
	}
	out := guestOutDir(p.manifest)
	r := &ran{stdout: newCapture(true), stderr: newCapture(false), outDir: out}
	cfg := engine.RunConfig{Timeout: req.Timeout}
	cfg.Args = append([]string{filepath.Base(p.script)}, req.Args...)
	cfg.Env = scriptEnv(req, func(path string) string { return path }, out, GuestManifestDir)
	cfg.Stdout, cfg.Stderr = r.stdout, r.stderr
	cfg.Mounts = []wasi.Mount{
		{HostPath: p.manifest, GuestPath: GuestManifestDir, ReadOnly: true, FollowHostLinks: true},
		{HostPath: p.outTmp, GuestPath: out},
	}
	// What a script generates must not depend on the time or on chance.
	cfg.Deterministic = true
	code, err := mod.Run(ctx, cfg)
	r.code = int(code)
	var timeout *engine.TimeoutError
	switch {
	case errors.As(err, &timeout):
		r.timedOut = true
	case err != nil && !errors.As(err, &r.trap):
		return nil, err
	}
	return r, nil
}

// checkNotInManifest reports an output below the manifest directory, whose
// files are the script's inputs, unless it is below the working
// directory's bazel-out/ (Bazel's output tree, which is below the manifest
// directory of a crate at the root of the workspace).
func checkNotInManifest(dir string, manifest string, outputs []action.FlagPath) error {
	m, err := action.Forms(dir, manifest)
	if err != nil {
		return err
	}
	tree, err := action.Forms(dir, "bazel-out")
	if err != nil {
		return err
	}
	for _, o := range outputs {
		if o.Path == "" {
			continue
		}
		f, err := action.Forms(dir, o.Path)
		if err != nil {
			return err
		}
		for i := range f {
			if hostpath.Below(f[i], m[i]) && !hostpath.Below(f[i], tree[i]) {
				return fmt.Errorf("%s: the output lies in --manifest-dir %s, whose files the script reads; outputs go elsewhere (below bazel-out/ in a Bazel action)", o, manifest)
			}
		}
	}
	return nil
}
