package wasi

// A View narrows a mount to what an action declared: its input files, the
// directories that lead to them, and the output directories it may write
// in. Everything else below the mount does not exist for the guest
// (ENOENT), and fd_readdir lists only what is visible. Nothing is copied or
// linked: the view is a filter in front of the mount's root.

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// ViewSpec lists what a View shows, as paths relative to the mount.
type ViewSpec struct {
	// Inputs are the declared inputs: files, or directories whose whole
	// tree is an input. They are read-only.
	Inputs []string
	// Writable are directories where the guest may create entries
	// (an action's output directories). Their existing entries stay
	// hidden unless declared; what the guest creates there is its own.
	Writable []string
	// Own are directories made for this run (an action's staging
	// directories): everything below them is visible and writable.
	Own []string
	// Dirs are directories to show, with their declared content only;
	// those that do not exist are left out.
	Dirs []string
}

// MissingInputError reports a declared input that is not there: the
// input list's fault, not the guest's.
type MissingInputError struct {
	Path string // as declared
}

func (e *MissingInputError) Error() string {
	return fmt.Sprintf("declared input %s is missing", e.Path)
}

// View is the set of paths a guest may see below one mount. It is safe for
// the concurrent use of a run's threads.
type View struct {
	inputs  map[string]bool // declared inputs: files, or whole directories
	dirs    map[string]bool // directories leading to them, and "."
	outDirs map[string]bool // directories where the guest may create entries

	mu         sync.Mutex
	own        map[string]bool // made for or by this run: all below is writable
	undeclared []string        // existing paths the guest tried, in order
	missing    []string        // declared inputs the guest found missing
	seen       map[string]bool
}

// maxUndeclared bounds how many undeclared paths a View remembers.
const maxUndeclared = 64

// NewView builds the view spec describes over the host directory dir. It
// reads nothing from dir: an input is a file or a whole directory, as it
// turns out, and a declared input that is missing is found when the guest
// looks for it (see Missing). An input or directory that is absolute or
// climbs out of dir is an error.
func NewView(dir string, spec ViewSpec) (*View, error) {
	v := &View{
		inputs:  make(map[string]bool, len(spec.Inputs)),
		dirs:    make(map[string]bool, len(spec.Inputs)/4+1),
		outDirs: map[string]bool{},
		own:     map[string]bool{},
		seen:    map[string]bool{},
	}
	v.dirs["."] = true
	// Each list of the spec, what it is called in an error, and the sets
	// its paths go in.
	for _, list := range []struct {
		kind  string
		paths []string
		sets  []map[string]bool
	}{
		{"declared input", spec.Inputs, []map[string]bool{v.inputs}},
		{"output directory", spec.Writable, []map[string]bool{v.outDirs, v.dirs}},
		{"directory", spec.Dirs, []map[string]bool{v.dirs}},
		{"directory", spec.Own, []map[string]bool{v.own}},
	} {
		for _, p := range list.paths {
			if hostpath.Escapes(p) {
				return nil, fmt.Errorf("%s %q is not below the working directory", list.kind, p)
			}
			p = path.Clean(p)
			for _, set := range list.sets {
				set[p] = true
			}
			v.lead(p)
		}
	}
	return v, nil
}

// lead records the directories that lead to p.
func (v *View) lead(p string) {
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if v.dirs[d] {
			return
		}
		v.dirs[d] = true
	}
}

// Missing returns the declared inputs the guest looked for and did not
// find, first found first.
func (v *View) Missing() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.missing...)
}

// noteMissing remembers p if it is a declared input that err says is not
// there.
func (v *View) noteMissing(p string, err error) {
	if err == nil || !v.inputs[p] || !errors.Is(err, fs.ErrNotExist) {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for _, m := range v.missing {
		if m == p {
			return
		}
	}
	if len(v.missing) < maxUndeclared {
		v.missing = append(v.missing, p)
	}
}

// Undeclared returns the paths the guest tried to reach that exist below
// the mount but are not in the view, first tried first.
func (v *View) Undeclared() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.undeclared...)
}

// access is what the guest may do with a path of the view.
type access int

const (
	accHidden access = iota
	accRead          // visible, read-only
	accOwn           // visible, the guest's own
)

// lookup says what the guest may do with p, a clean path.
func (v *View) lookup(p string) access {
	v.mu.Lock()
	own := hostpath.BelowAny(v.own, p)
	v.mu.Unlock()
	switch {
	case own:
		return accOwn
	case v.dirs[p], hostpath.BelowAny(v.inputs, p):
		return accRead
	}
	return accHidden
}

// creatable reports whether the guest may create p, a hidden path: its
// directory is an output directory or its own.
func (v *View) creatable(p string) bool {
	d := path.Dir(p)
	if v.outDirs[d] {
		return true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return hostpath.BelowAny(v.own, d)
}

// adopt makes p the guest's own once it has made it, err being the
// outcome (nil: made); it returns err.
func (v *View) adopt(p string, err error) error {
	if err == nil {
		v.mu.Lock()
		v.own[p] = true
		v.mu.Unlock()
	}
	return err
}

// visible reports whether the entry name of the directory dir is shown.
func (v *View) visible(dir, name string) bool {
	return v.lookup(path.Join(path.Clean(dir), name)) != accHidden
}

// viewRoot is a mount's root seen through a View.
type viewRoot struct {
	inner fsRoot
	v     *View
}

func (r *viewRoot) unwrap() fsRoot { return r.inner }

// cleanName cleans a guest path, keeping a trailing slash's meaning.
func cleanName(name string) (clean, keep string) {
	clean = path.Clean(name)
	keep = clean
	if strings.HasSuffix(name, "/") && clean != "." {
		keep += "/"
	}
	return clean, keep
}

func pathErr(op, name string, errno syscall.Errno) error {
	return &fs.PathError{Op: op, Path: name, Err: errno}
}

// miss is the error for a hidden path. If the path exists below the mount,
// the View remembers it as undeclared.
func (r *viewRoot) miss(op, p string) error {
	if _, err := r.inner.Lstat(p); err == nil {
		r.v.mu.Lock()
		if !r.v.seen[p] && len(r.v.undeclared) < maxUndeclared {
			r.v.seen[p] = true
			r.v.undeclared = append(r.v.undeclared, p)
		}
		r.v.mu.Unlock()
	}
	return pathErr(op, p, syscall.ENOENT)
}

// mayChange checks that the guest may change p itself.
func (r *viewRoot) mayChange(op, p string) error {
	switch r.v.lookup(p) {
	case accOwn:
		return nil
	case accRead:
		return pathErr(op, p, syscall.EACCES)
	}
	return r.miss(op, p)
}

// mayCreate checks that the guest may make p, which must be new.
func (r *viewRoot) mayCreate(op, p string) error {
	switch r.v.lookup(p) {
	case accOwn:
		return nil
	case accRead:
		return pathErr(op, p, syscall.EEXIST)
	}
	if !r.v.creatable(p) {
		return r.miss(op, p)
	}
	if _, err := r.inner.Lstat(p); err == nil {
		// Someone else's entry in an output directory.
		r.miss(op, p)
		return pathErr(op, p, syscall.EACCES)
	}
	return nil
}

func (r *viewRoot) Open(name string) (*os.File, error) { return r.OpenFile(name, os.O_RDONLY, 0) }

func (r *viewRoot) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	p, keep := cleanName(name)
	changes := flag&(os.O_WRONLY|os.O_RDWR|os.O_TRUNC|os.O_APPEND) != 0
	switch r.v.lookup(p) {
	case accOwn:
		f, err := r.inner.OpenFile(keep, flag, perm)
		return f, err
	case accRead:
		if changes || flag&(os.O_CREATE|os.O_EXCL) == os.O_CREATE|os.O_EXCL {
			return nil, pathErr("open", p, syscall.EACCES)
		}
		f, err := r.inner.OpenFile(keep, flag&^os.O_CREATE, perm)
		r.v.noteMissing(p, err)
		return f, err
	}
	if flag&os.O_CREATE == 0 {
		return nil, r.miss("open", p)
	}
	if err := r.mayCreate("open", p); err != nil {
		return nil, err
	}
	// O_EXCL: never open an entry that appeared meanwhile.
	f, err := r.inner.OpenFile(keep, flag|os.O_EXCL, perm)
	return f, r.v.adopt(p, err)
}

func (r *viewRoot) Stat(name string) (fs.FileInfo, error) {
	p, keep := cleanName(name)
	if r.v.lookup(p) == accHidden {
		return nil, r.miss("stat", p)
	}
	fi, err := r.inner.Stat(keep)
	r.v.noteMissing(p, err)
	return fi, err
}

func (r *viewRoot) Lstat(name string) (fs.FileInfo, error) {
	p, _ := cleanName(name)
	if r.v.lookup(p) == accHidden {
		return nil, r.miss("lstat", p)
	}
	fi, err := r.inner.Lstat(p)
	r.v.noteMissing(p, err)
	return fi, err
}

func (r *viewRoot) Mkdir(name string, perm fs.FileMode) error {
	p, _ := cleanName(name)
	if err := r.mayCreate("mkdir", p); err != nil {
		return err
	}
	return r.v.adopt(p, r.inner.Mkdir(p, perm))
}

func (r *viewRoot) Remove(name string) error {
	p, keep := cleanName(name)
	if err := r.mayChange("remove", p); err != nil {
		return err
	}
	return r.inner.Remove(keep)
}

func (r *viewRoot) Rename(oldname, newname string) error {
	o, _ := cleanName(oldname)
	n, _ := cleanName(newname)
	if err := r.mayChange("rename", o); err != nil {
		return err
	}
	if r.v.lookup(n) != accOwn {
		if err := r.mayCreate("rename", n); err != nil {
			return err
		}
	}
	return r.v.adopt(n, r.inner.Rename(o, n))
}

func (r *viewRoot) Link(oldname, newname string) error {
	o, _ := cleanName(oldname)
	n, _ := cleanName(newname)
	if r.v.lookup(o) == accHidden {
		return r.miss("link", o)
	}
	if err := r.mayCreate("link", n); err != nil {
		return err
	}
	return r.v.adopt(n, r.inner.Link(o, n))
}

// Symlink is refused: a link could name what the view hides.
func (r *viewRoot) Symlink(oldname, newname string) error {
	return pathErr("symlink", newname, syscall.EPERM)
}

func (r *viewRoot) Readlink(name string) (string, error) {
	p, _ := cleanName(name)
	if r.v.lookup(p) == accHidden {
		return "", r.miss("readlink", p)
	}
	return r.inner.Readlink(p)
}

func (r *viewRoot) Chtimes(name string, atime, mtime time.Time) error {
	p, keep := cleanName(name)
	if err := r.mayChange("chtimes", p); err != nil {
		return err
	}
	return r.inner.Chtimes(keep, atime, mtime)
}

func (r *viewRoot) Close() error { return r.inner.Close() }
