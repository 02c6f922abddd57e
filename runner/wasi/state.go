package wasi

// The State of a run: its configuration, its fd table and how a guest
// path relative to a directory descriptor resolves to a mount.

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path"
	"sort"
	"sync"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// Mount makes a host directory visible to the guest as a preopened directory.
type Mount struct {
	HostPath  string // the directory on the host
	GuestPath string // the name the guest sees, such as "/" or "."
	ReadOnly  bool   // refuse every change below the mount
	// FollowHostLinks follows the symbolic links already below the mount
	// wherever they point (a Bazel execroot is made of them), while the
	// guest's own paths stay inside and the guest cannot create links.
	// Without it, no link leads out of the mount.
	FollowHostLinks bool
	// View, if not nil, narrows the mount to the paths it shows.
	View *View
}

// Config describes the world a run sees.
type Config struct {
	Args   []string // argv, starting with argv[0]
	Env    []string // NAME=VALUE pairs
	Mounts []Mount
	Stdin  io.Reader // nil: empty
	Stdout io.Writer // nil: discarded
	Stderr io.Writer // nil: discarded
	// Deterministic fixes the wall clock, makes the monotonic clock a
	// counter, seeds the random source with Seed and shows files without
	// their host device, inode number, link count and times (fd.go), so
	// that a run's outputs do not depend on when or where it ran.
	Deterministic bool
	Seed          uint64
	// Audit, if not nil, records every path the guest opens.
	Audit *Audit
	// Named, if not nil, records every path the guest names in a path
	// argument (to open, stat, list or read a link), found or not: what
	// the run could learn of the files.
	Named *Audit
}

// FixedWallClock is the wall-clock time a deterministic run sees, and the
// access, modification and change time of each of its files.
var FixedWallClock = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// State is the WASI state of one run, shared by all its thread instances.
type State struct {
	args, env []string
	stdin     io.Reader
	stdout    io.Writer
	stderr    io.Writer

	deterministic bool
	start         time.Time

	mounts []*mount
	audit  *Audit
	named  *Audit

	mu     sync.Mutex // guards fds, rand and fake
	fds    map[uint32]*entry
	rand   *rand.ChaCha8
	fake   uint64 // deterministic monotonic clock, in nanoseconds
	closed bool
}

// mount is an opened Mount.
type mount struct {
	Mount
	root fsRoot
}

// hidesLinks reports whether the guest is shown the host's symbolic links
// below mt as what they point to, never as links: in a deterministic run,
// of a mount that follows them (an execution root, made of links in one
// sandbox and of files in another, whose targets are host paths).
func (s *State) hidesLinks(mt *mount) bool { return s.deterministic && mt.FollowHostLinks }

// guestPath is the path at which the guest sees rel below mt, cleaned:
// never a host path.
func (mt *mount) guestPath(rel string) string {
	return path.Join(mt.GuestPath, rel)
}

type entryKind int

const (
	kindStdin entryKind = iota
	kindStdout
	kindStderr
	kindFile
	kindDir
)

// entry is one open file descriptor.
type entry struct {
	kind    entryKind
	mount   *mount   // files and directories
	rel     string   // path within the mount; "." is the mount itself
	file    *os.File // files and directories
	flags   uint16   // fdflags
	preopen bool     // a mount's own descriptor, announced by fd_prestat_get

	rights, inheriting uint64 // fs_rights_base and fs_rights_inheriting

	dirents []dirent // fd_readdir's listing, read at cookie 0
}

// NewState opens the mounts of cfg. An error names the host path at fault.
func NewState(cfg Config) (*State, error) {
	s := &State{
		args:          cfg.Args,
		env:           cfg.Env,
		stdin:         cfg.Stdin,
		stdout:        lockedWriter(cfg.Stdout),
		stderr:        lockedWriter(cfg.Stderr),
		deterministic: cfg.Deterministic,
		start:         time.Now(),
		fds:           map[uint32]*entry{},
		audit:         cfg.Audit,
		named:         cfg.Named,
	}
	if s.stdin == nil {
		s.stdin = eofReader{}
	}
	var seed [32]byte
	if cfg.Deterministic {
		for i := 0; i < 8; i++ {
			seed[i] = byte(cfg.Seed >> (8 * i))
		}
	} else if _, err := cryptoRead(seed[:]); err != nil {
		return nil, fmt.Errorf("seeding random source: %w", err)
	}
	s.rand = rand.NewChaCha8(seed)
	s.fds[0] = &entry{kind: kindStdin, rights: streamRights | rightFdRead}
	s.fds[1] = &entry{kind: kindStdout, rights: streamRights | rightFdWrite}
	s.fds[2] = &entry{kind: kindStderr, rights: streamRights | rightFdWrite}
	for i, m := range cfg.Mounts {
		fi, err := os.Stat(m.HostPath)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("mount %q: %w", m.HostPath, err)
		}
		if !fi.IsDir() {
			s.Close()
			return nil, fmt.Errorf("mount %q: not a directory", m.HostPath)
		}
		var root fsRoot = linkRoot{dir: m.HostPath}
		if !m.FollowHostLinks {
			if root, err = os.OpenRoot(m.HostPath); err != nil {
				s.Close()
				return nil, fmt.Errorf("mount %q: %w", m.HostPath, err)
			}
		}
		if m.View != nil {
			root = &viewRoot{inner: root, v: m.View}
		}
		dir, err := root.Open(".")
		if err != nil {
			root.Close()
			s.Close()
			return nil, fmt.Errorf("mount %q: %w", m.HostPath, err)
		}
		mt := &mount{Mount: m, root: root}
		s.mounts = append(s.mounts, mt)
		s.fds[uint32(3+i)] = &entry{kind: kindDir, mount: mt, rel: ".", file: dir, preopen: true,
			rights: dirRights, inheriting: dirRights | fileRights}
	}
	return s, nil
}

// Close closes every descriptor and mount. Host calls made after Close fail
// with EBADF.
func (s *State) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.closed = true
	for fd, e := range s.fds {
		if e.file != nil {
			e.file.Close()
		}
		delete(s.fds, fd)
	}
	for _, mt := range s.mounts {
		mt.root.Close()
	}
}

// get returns the entry for fd.
func (s *State) get(fd uint32) (*entry, Errno) { return s.lookup(fd, false) }

// remove takes fd out of the table and returns its entry.
func (s *State) remove(fd uint32) (*entry, Errno) { return s.lookup(fd, true) }

// lookup returns the entry for fd, taking it out of the table if take.
func (s *State) lookup(fd uint32, take bool) (*entry, Errno) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.fds[fd]
	if !ok {
		return nil, ErrnoBadf
	}
	if take {
		delete(s.fds, fd)
	}
	return e, ErrnoSuccess
}

// add installs e at the lowest free descriptor.
func (s *State) add(e *entry) (uint32, Errno) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, ErrnoBadf
	}
	for fd := uint32(3); fd < 1<<20; fd++ {
		if _, used := s.fds[fd]; !used {
			s.fds[fd] = e
			return fd, ErrnoSuccess
		}
	}
	return 0, ErrnoMfile
}

// dirPath resolves a guest path relative to the directory fd to a mount and
// a path inside it. Lexical ".." is left for os.Root to resolve, so that it
// may climb within the mount but never out of it.
func (s *State) dirPath(fd uint32, p string) (*mount, string, Errno) {
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return nil, "", errno
	}
	if e.kind != kindDir {
		return nil, "", ErrnoNotdir
	}
	if p == "" {
		return nil, "", ErrnoNoent
	}
	// A path may not climb above the directory it is relative to (WASI's
	// capability rule), even where the mount would allow it.
	if !hostpath.Below(p, ".") {
		return nil, "", ErrnoPerm
	}
	if e.rel != "." {
		p = e.rel + "/" + p
	}
	return e.mount, p, ErrnoSuccess
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// lockedWriter serialises writes from the run's threads.
func lockedWriter(w io.Writer) io.Writer {
	if w == nil {
		return io.Discard
	}
	return &syncWriter{w: w}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

type dirent struct {
	name  string
	ino   uint64
	ftype uint8
}

func sortDirents(d []dirent) {
	sort.Slice(d, func(i, j int) bool { return d[i].name < d[j].name })
}

// withState is the context key of a run's State.
type stateKey struct{}

// WithState returns a context whose host calls act on s.
func WithState(ctx context.Context, s *State) context.Context {
	return context.WithValue(ctx, stateKey{}, s)
}

func stateFrom(ctx context.Context) *State {
	s, _ := ctx.Value(stateKey{}).(*State)
	return s
}
