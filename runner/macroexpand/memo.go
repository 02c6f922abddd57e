package macroexpand

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// Each expansion computed once. A macro's output is a function of what it
// can observe, and the sandbox (sandbox.go) makes that a short list: the
// module, the request (the macro's name and kind, its input and attribute
// token streams, and span ids, which are numbers the bridge gives in the
// order the tokens come, not positions), the world (the environment, the
// files it may read, the name it runs under), the limits, and the runner
// itself (its WASI, its fixed clock and seed). A Memo keeps outputs keyed
// by all of it, so an expansion whose key was seen before is replayed, not
// run: the spans of the replayed output are ids, which the bridge maps to
// the new input's tokens as it does for a run.
//
// The files are keyed in two parts, so that an edit to one of the crate's
// sources does not make every expansion of the crate run again: the key
// holds which files the view shows (their paths, which decide every
// listing and every lookup's outcome), and the entry holds the files the
// run named (wasi.Config.Named: opened, stat'ed, listed, found or not) with
// what each held then. A lookup replays the entry only if every one of
// them holds the same now.
//
// Only what the macro returned or panicked with is kept; a run that failed
// (a timeout, a trap, the memory cap) is not, since those depend on the
// machine's speed or were limits hit; nor is anything when threads are
// allowed (a run's output may depend on its schedule), nor a run whose
// files changed while it ran. The memo lives on one machine: a
// digest of the runner's own executable is part of every key, and entries
// are never shared (runner/threatmodel.go says why that is the boundary).

// memoFormat names the key's and the entries' format; a change to either
// changes it.
const memoFormat = "rules_rustc_wasm expansion memo 2"

// memoMaxStderr bounds what an expansion may print on stderr and still
// be kept.
const memoMaxStderr = 1 << 20

// DefaultMemoMiB is the default size bound of a Memo.
const DefaultMemoMiB = 512

// Memo is a directory of expansions, bounded in size. Its methods are
// safe for concurrent use, also by several processes: entries are written
// whole under a temporary name and renamed.
type Memo struct {
	dir      string
	maxBytes int64

	mu    sync.Mutex
	wrote bool
}

// DefaultMemoDir is where expansions are kept when no directory is given:
// beside the engine's compiled code. "" when there is no such place.
func DefaultMemoDir() string {
	code := engine.DefaultCacheDir()
	if code == "" {
		return ""
	}
	return filepath.Join(filepath.Dir(code), "expansions")
}

// OpenMemo opens (making it if need be) the memo in dir, of maxMiB MiB at
// most. dir must be a directory of this user's that nobody else may write:
// what it holds is compiled into crates.
func OpenMemo(dir string, maxMiB int) (*Memo, error) {
	if maxMiB <= 0 {
		return nil, fmt.Errorf("expansion cache %s: a size of %d MiB", dir, maxMiB)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return nil, fmt.Errorf("expansion cache %s: %w", dir, err)
	}
	if !engine.PrivateDir(dir) {
		return nil, fmt.Errorf("expansion cache %s is not a directory of this user's that only this user may write", dir)
	}
	return &Memo{dir: dir, maxBytes: int64(maxMiB) << 20}, nil
}

// memoized is one kept expansion: its Response, what it printed on
// stderr, and the files it named, with what each held.
type memoized struct {
	resp   Response
	stderr []byte
	files  []fileSeen
}

// fileSeen is a file a run named (a path below the world's root) and a
// digest of what it was: its contents, a directory's names, or absent.
type fileSeen struct {
	path   string
	digest [sha256.Size]byte
}

func (m *Memo) path(key [sha256.Size]byte) string {
	h := hex.EncodeToString(key[:])
	return filepath.Join(m.dir, h[:2], h)
}

// get is the expansion kept under key, if there is one whole and every
// file it named below root holds what it held; using it makes it the
// newest, for Trim.
func (m *Memo) get(key [sha256.Size]byte, root string) (memoized, bool) {
	p := m.path(key)
	b, err := os.ReadFile(p)
	if err != nil {
		return memoized{}, false
	}
	e, ok := decodeMemoized(key, b)
	if !ok {
		os.Remove(p)
		return memoized{}, false
	}
	for _, f := range e.files {
		if d, err := seen(root, f.path); err != nil || d != f.digest {
			return memoized{}, false
		}
	}
	now := time.Now()
	os.Chtimes(p, now, now)
	return e, true
}

// put keeps e under key. A memo that cannot be written is no failure of
// the expansion: the next one runs again.
func (m *Memo) put(key [sha256.Size]byte, e memoized) {
	p := m.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return
	}
	_, err = f.Write(encodeMemoized(key, e))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return
	}
	m.mu.Lock()
	m.wrote = true
	m.mu.Unlock()
}

// trimEvery is how often, at most, a process that wrote entries walks the
// memo to bound its size.
const trimEvery = time.Minute

// Trim removes the least recently used entries while the memo is over its
// size, down to three quarters of it. It walks the memo only when this
// process wrote to it and no process trimmed it within trimEvery.
func (m *Memo) Trim() error {
	m.mu.Lock()
	wrote := m.wrote
	m.wrote = false
	m.mu.Unlock()
	mark := filepath.Join(m.dir, ".trimmed")
	if fi, err := os.Stat(mark); !wrote || err == nil && time.Since(fi.ModTime()) < trimEvery {
		return nil
	}
	if err := os.WriteFile(mark, nil, 0o600); err != nil {
		return err
	}
	type entry struct {
		path string
		size int64
		used time.Time
	}
	var entries []entry
	var total int64
	err := filepath.WalkDir(m.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".trimmed" {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return nil // removed meanwhile
		}
		entries = append(entries, entry{p, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil || total <= m.maxBytes {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].used.Before(entries[j].used) })
	for _, e := range entries {
		if total <= m.maxBytes*3/4 {
			break
		}
		if os.Remove(e.path) == nil {
			total -= e.size
		}
	}
	return nil
}

// An entry: memoMagic, its key, the status, then the message, stdout, stderr and
// payload, each a u32 length and its bytes, then the files named: a u32
// count, each a u32 length, its path and its 32-byte digest; then the
// SHA-256 of all that came before: a torn or damaged file, or one under
// another key's name, is a miss. (The checksum is no defence against a
// writer who means it: the directory being this user's alone is.)
const memoMagic = "RRWX3"

func encodeMemoized(key [sha256.Size]byte, e memoized) []byte {
	b := append(append([]byte(memoMagic), key[:]...), e.resp.Status)
	for _, part := range [][]byte{[]byte(e.resp.Message), e.resp.Stdout, e.stderr, e.resp.Payload} {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(part)))
		b = append(b, part...)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(e.files)))
	for _, f := range e.files {
		b = binary.LittleEndian.AppendUint32(b, uint32(len(f.path)))
		b = append(append(b, f.path...), f.digest[:]...)
	}
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

func decodeMemoized(key [sha256.Size]byte, b []byte) (memoized, bool) {
	head := len(memoMagic) + sha256.Size
	if len(b) < head+1+sha256.Size || string(b[:len(memoMagic)]) != memoMagic || !bytes.Equal(b[len(memoMagic):head], key[:]) {
		return memoized{}, false
	}
	body, sum := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if want := sha256.Sum256(body); !bytes.Equal(sum, want[:]) {
		return memoized{}, false
	}
	r := body[head:]
	e := memoized{resp: Response{Status: r[0]}}
	r = r[1:]
	var parts [4][]byte
	for i := range parts {
		var ok bool
		if parts[i], r, ok = lengthPrefixed(r); !ok {
			return memoized{}, false
		}
	}
	if len(r) < 4 {
		return memoized{}, false
	}
	count := binary.LittleEndian.Uint32(r)
	r = r[4:]
	for i := uint32(0); i < count; i++ {
		p, rest, ok := lengthPrefixed(r)
		if !ok || len(rest) < sha256.Size {
			return memoized{}, false
		}
		f := fileSeen{path: string(p)}
		if !localPath(f.path) {
			return memoized{}, false
		}
		copy(f.digest[:], rest)
		e.files = append(e.files, f)
		r = rest[sha256.Size:]
	}
	if len(r) != 0 || (e.resp.Status != StatusOK && e.resp.Status != StatusPanic) {
		return memoized{}, false
	}
	e.resp.Message, e.resp.Stdout, e.stderr, e.resp.Payload = string(parts[0]), parts[1], parts[2], parts[3]
	return e, true
}

// localPath reports whether p, a path an entry names, is one a run can
// have named below the world's root: relative, clean, never climbing.
func localPath(p string) bool {
	return p != "" && p == filepath.Clean(p) && !filepath.IsAbs(p) && !hostpath.Escapes(p)
}

// lengthPrefixed splits a u32 length and that many bytes off r.
func lengthPrefixed(r []byte) (part, rest []byte, ok bool) {
	if len(r) < 4 {
		return nil, nil, false
	}
	n := binary.LittleEndian.Uint32(r)
	if uint64(n) > uint64(len(r)-4) {
		return nil, nil, false
	}
	return r[4 : 4+n], r[4+n:], true
}

// runnerDigest is the SHA-256 of the running executable: what the runner
// gives a macro (its WASI, the fixed clock and seed) is the runner's, so a
// memo entry holds for the runner that made it.
var runnerDigest = sync.OnceValues(func() ([]byte, error) {
	// /proc/self/exe is the file this process runs, also when the path it
	// started from names a newer build since (os.Executable would hash
	// that one).
	f, err := os.Open("/proc/self/exe")
	if errors.Is(err, fs.ErrNotExist) {
		var exe string
		if exe, err = os.Executable(); err == nil {
			f, err = os.Open(exe)
		}
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return sha256Of("", f)
})

// sha256Of is the SHA-256 of prefix followed by what r holds.
func sha256Of(prefix string, r io.Reader) ([]byte, error) {
	h := sha256.New()
	io.WriteString(h, prefix)
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// keyHash writes the parts of a memo key, each after its length.
type keyHash struct{ h io.Writer }

func (k keyHash) part(b []byte) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	k.h.Write(n[:])
	k.h.Write(b)
}

// errUnkeyable is a World whose files the memo cannot name: made by hand
// with mounts, not by NewWorld.
var errUnkeyable = errors.New("a world of mounts not made by NewWorld")

// digest is the SHA-256 of what of w a macro can observe besides the
// files' contents: its environment, in order, and which files its view
// shows (their paths; what a run reads of them is in its entry, fileSeen).
func (w World) digest() ([]byte, error) {
	if len(w.Mounts) > 0 && w.root == "" {
		return nil, errUnkeyable
	}
	h := sha256.New()
	k := keyHash{h}
	k.part([]byte(fmt.Sprint(len(w.Env))))
	for _, kv := range w.Env {
		k.part([]byte(kv))
	}
	inputs := append([]string(nil), w.inputs...)
	sort.Strings(inputs)
	k.part([]byte(fmt.Sprint(w.root != "", len(inputs))))
	for _, in := range inputs {
		k.part([]byte(filepath.ToSlash(in)))
	}
	return h.Sum(nil), nil
}

// filesSeen are the files a run named, below root, with what each holds.
func filesSeen(root string, named *wasi.Audit) ([]fileSeen, error) {
	var out []fileSeen
	for _, rel := range named.Paths(root) {
		rel = strings.TrimSuffix(rel, "/")
		if filepath.IsAbs(rel) {
			return nil, fmt.Errorf("%s is outside the world's root", rel)
		}
		d, err := seen(root, rel)
		if err != nil {
			return nil, err
		}
		out = append(out, fileSeen{path: rel, digest: d})
	}
	return out, nil
}

// seen is a digest of what is at rel below root, following links as the
// view does: a file's contents, a directory's names (the view shows at
// most those), or that nothing is there.
func seen(root, rel string) ([sha256.Size]byte, error) {
	p := filepath.Join(root, rel)
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return sha256.Sum256([]byte("absent")), nil
	case err != nil:
		return [sha256.Size]byte{}, err
	case fi.IsDir():
		names, err := os.ReadDir(p)
		if err != nil {
			return [sha256.Size]byte{}, err
		}
		h := sha256.New()
		k := keyHash{h}
		k.part([]byte("dir"))
		for _, d := range names {
			k.part([]byte(d.Name()))
		}
		var sum [sha256.Size]byte
		copy(sum[:], h.Sum(nil))
		return sum, nil
	}
	if !fi.Mode().IsRegular() {
		return [sha256.Size]byte{}, fmt.Errorf("%s is neither a file nor a directory", rel)
	}
	// Not blocking: a FIFO put there since the Stat must not hang us.
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return [sha256.Size]byte{}, fmt.Errorf("%s is no longer a file", rel)
	}
	b, err := sha256Of("file", f)
	if err != nil {
		return [sha256.Size]byte{}, err
	}
	var sum [sha256.Size]byte
	copy(sum[:], b)
	return sum, nil
}
