package action

// Outputs that appear only when the action succeeds. The program writes
// each output under a temporary name, in a staging directory beside it,
// and the verb renames the outputs into place only if it succeeded.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// Staging directories are named "." + the verb + "-tmp-" + a hash of the
// action's outputs (".rustc-tmp-0123456789ab"), beside the outputs. Each
// has a lock file, its name + ".lock", which the process that stages holds
// locked (flock) from before the directory exists until after it is gone.
// The kernel drops the lock when that process dies, even by SIGKILL: a
// staging directory whose lock nobody holds is left over from a killed
// runner, and is removed by the next runner that stages beside it (or by
// the worker that killed it, see RemoveStale).
var stagingName = regexp.MustCompile(`^\.[a-z][a-z-]*-tmp-[0-9a-f]{12}$`)

// Staging moves an action's outputs through staging directories beside
// them.
type Staging struct {
	dir   string
	final []string          // as given
	tmpOf map[string]string // output -> temporary path (both as given)
	dirs  []string          // the staging directories, as given
	locks []*os.File        // of dirs
}

// Stage prepares the staging directories for outputs, relative to dir (see
// Resolve), for the verb (such as "rustc"), removing what killed runners
// left beside them. The names derive from the verb and the outputs, not
// from chance: the program may see them (rustc on its command line, a
// build script as OUT_DIR), and the same action must give the same bytes
// every time. Stage does not touch the outputs themselves.
func Stage(dir, verb string, outputs []string) (*Staging, error) {
	s := &Staging{dir: dir, final: outputs, tmpOf: map[string]string{}}
	sorted := append([]string(nil), outputs...)
	sort.Strings(sorted)
	sum := sha256.Sum256([]byte(strings.Join(sorted, "\x00")))
	name := "." + verb + "-tmp-" + hex.EncodeToString(sum[:6])
	dirOf := map[string]string{}
	for _, o := range outputs {
		parent := filepath.Dir(o)
		tmp, ok := dirOf[parent]
		if !ok {
			tmp = filepath.Join(parent, name)
			// Left over from runs that were killed: start afresh.
			removeStale(s.abs(parent))
			lock, err := lockStaging(s.abs(tmp))
			if err == nil {
				s.locks = append(s.locks, lock)
				os.RemoveAll(s.abs(tmp))
				err = os.MkdirAll(s.abs(tmp), 0o755)
			}
			if err != nil {
				s.Discard()
				return nil, fmt.Errorf("output %s: %w", o, err)
			}
			dirOf[parent] = tmp
			s.dirs = append(s.dirs, tmp)
		}
		s.tmpOf[o] = filepath.Join(tmp, filepath.Base(o))
	}
	return s, nil
}

func (s *Staging) abs(p string) string { return Resolve(s.dir, p) }

// Path is where the output is written until Commit: its temporary path,
// relative to the working directory as the output is.
func (s *Staging) Path(output string) string { return s.tmpOf[output] }

// Dirs are the staging directories, relative to the working directory as
// the outputs are: the program's own.
func (s *Staging) Dirs() []string { return s.dirs }

// Rewrite points every mention of an output in args at its temporary path.
func (s *Staging) Rewrite(args []string) []string {
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

// Write writes b as the output, a file, at its temporary path.
func (s *Staging) Write(output string, b []byte) error {
	return os.WriteFile(s.abs(s.tmpOf[output]), b, 0o644)
}

// Missing returns the first output that was not written, or "".
func (s *Staging) Missing() string {
	for _, o := range s.final {
		if _, err := os.Stat(s.abs(s.tmpOf[o])); err != nil {
			return o
		}
	}
	return ""
}

// CommitError is an output that could not be renamed into place.
type CommitError struct {
	Output string // as given
	Err    error
}

func (e *CommitError) Error() string { return fmt.Sprintf("output %s: %v", e.Output, e.Err) }

func (e *CommitError) Unwrap() error { return e.Err }

// Commit renames every output into place, in the order Stage got them,
// and removes the staging directories. If one cannot be renamed, the
// staging directories and the outputs already renamed into place are
// removed, so none of the outputs this run made is left, and the error
// is a *CommitError. What blocked the rename, and anything at the paths
// of the outputs after it, is not touched (the callers cleared those
// paths before the run).
func (s *Staging) Commit() error {
	for i, o := range s.final {
		if err := os.Rename(s.abs(s.tmpOf[o]), s.abs(o)); err != nil {
			s.Discard()
			for _, o := range s.final[:i] {
				os.RemoveAll(s.abs(o))
			}
			return &CommitError{Output: o, Err: err}
		}
	}
	s.Discard()
	return nil
}

// Discard removes the staging directories and what is in them.
func (s *Staging) Discard() {
	for _, d := range s.dirs {
		os.RemoveAll(s.abs(d))
	}
	for _, l := range s.locks {
		os.Remove(l.Name())
		l.Close()
	}
	s.locks = nil
}

// lockStaging creates and locks the lock file of the staging directory
// tmp (an absolute path).
func lockStaging(tmp string) (*os.File, error) {
	f, err := os.OpenFile(tmp+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// removeStale removes the staging directories in dir (absolute) that no
// live process holds.
func removeStale(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !stagingName.MatchString(e.Name()) {
			continue
		}
		tmp := filepath.Join(dir, e.Name())
		f, err := os.OpenFile(tmp+".lock", os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			continue
		}
		if unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) == nil {
			os.RemoveAll(tmp)
			os.Remove(tmp + ".lock")
		}
		f.Close()
	}
}

// RemoveStale removes what a killed runner left staged for the outputs,
// relative to dir (a request's working directory): the worker calls it
// after killing the child that ran them. A staging directory that a live
// process holds stays.
func RemoveStale(dir string, outputs []string) {
	seen := map[string]bool{}
	for _, o := range outputs {
		parent := Resolve(dir, filepath.Dir(o))
		if !seen[parent] {
			seen[parent] = true
			removeStale(parent)
		}
	}
}

// WriteAll writes outputs that are bytes, each file's content by its path
// (relative to dir, see Resolve), for the verb. Before anything is
// touched it refuses an output that is the working directory or a parent
// of it, that is one of inputs (what the verb reads) or a parent of one
// (CheckOutputs), or whose path holds a directory: an output here is a
// file, and what is at its path is removed. Then the files at their paths
// are removed, each output is written staged (Stage, Write) and all are
// renamed into place once every one is written (Commit). The directories
// they go in are made. On an error after the checks none of them is
// left, neither what was there before nor a new one.
func WriteAll(dir, verb string, outs map[string][]byte, inputs []FlagPath) error {
	names := make([]string, 0, len(outs))
	for o := range outs {
		names = append(names, o)
	}
	sort.Strings(names)
	outputs := make([]FlagPath, len(names))
	for i, o := range names {
		outputs[i] = FlagPath{Flag: "output", Path: o}
	}
	if err := CheckOutputs(dir, outputs, inputs); err != nil {
		return err
	}
	for _, o := range names {
		if fi, err := os.Lstat(Resolve(dir, o)); err == nil && fi.IsDir() {
			return fmt.Errorf("output %s: is a directory (an output is a file; a directory there is not removed)", o)
		}
	}
	removeOutputs := func() error {
		for _, o := range names {
			err := os.Remove(Resolve(dir, o))
			// ENOTDIR: a parent is a file, so nothing is at the path.
			if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
				return fmt.Errorf("output %s: removing what is already there: %w", o, err)
			}
		}
		return nil
	}
	if err := removeOutputs(); err != nil {
		return err
	}
	for _, o := range names {
		if err := os.MkdirAll(Resolve(dir, filepath.Dir(o)), 0o755); err != nil {
			return fmt.Errorf("output %s: %w", o, err)
		}
	}
	st, err := Stage(dir, verb, names)
	if err != nil {
		return err
	}
	if afterStage != nil {
		afterStage(st)
	}
	for _, o := range names {
		if err := st.Write(o, outs[o]); err != nil {
			st.Discard()
			removeOutputs()
			return fmt.Errorf("output %s: %w", o, err)
		}
	}
	return st.Commit()
}

// afterStage, if set, runs in WriteAll between Stage and the writes: for
// tests that make a write or a rename fail.
var afterStage func(*Staging)
