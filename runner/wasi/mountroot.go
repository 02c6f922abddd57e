package wasi

// The roots of the mounts: what a mount offers the WASI functions (fsRoot),
// and linkRoot, the root of a mount whose host links are followed. A strict
// mount's root is an *os.Root.

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
)

// fsRoot is what a mount offers the WASI functions. *os.Root is the strict
// kind: no path, "..", or symbolic link leads out of it.
type fsRoot interface {
	Open(name string) (*os.File, error)
	OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error)
	Stat(name string) (fs.FileInfo, error)
	Lstat(name string) (fs.FileInfo, error)
	Mkdir(name string, perm fs.FileMode) error
	Remove(name string) error
	Rename(oldname, newname string) error
	Link(oldname, newname string) error
	Symlink(oldname, newname string) error
	Readlink(name string) (string, error)
	Chtimes(name string, atime, mtime time.Time) error
	Close() error
}

var _ fsRoot = (*os.Root)(nil)

// linkRoot is a mount whose host-made symbolic links are followed wherever
// they point, as a Bazel execroot needs: its sources and external
// repositories are links out of it. The guest's own paths stay inside: they
// are cleaned, and one that climbs above the mount or is absolute is
// refused. The guest cannot create links, nor move one where it would lead
// elsewhere (links.go), so the links it follows are the host's, where the
// host put them.
type linkRoot struct{ dir string }

func (r linkRoot) host(name string) (string, error) {
	// A guest path leaves the mount if it is absolute or its ".."
	// elements climb above the start ("" is the mount itself).
	if !hostpath.Below(name, ".") {
		return "", &fs.PathError{Op: "open", Path: name, Err: syscall.EPERM}
	}
	p := filepath.Join(r.dir, filepath.FromSlash(path.Clean(name)))
	if strings.HasSuffix(name, "/") {
		p += "/" // keep the trailing slash's meaning: a directory
	}
	return p, nil
}

func (r linkRoot) Open(name string) (*os.File, error) { return r.OpenFile(name, os.O_RDONLY, 0) }

func (r linkRoot) OpenFile(name string, flag int, perm fs.FileMode) (*os.File, error) {
	p, err := r.host(name)
	if err != nil {
		return nil, err
	}
	return os.OpenFile(p, flag, perm)
}

func (r linkRoot) Stat(name string) (fs.FileInfo, error) {
	p, err := r.host(name)
	if err != nil {
		return nil, err
	}
	return os.Stat(p)
}

func (r linkRoot) Lstat(name string) (fs.FileInfo, error) {
	p, err := r.host(name)
	if err != nil {
		return nil, err
	}
	return os.Lstat(strings.TrimSuffix(p, "/"))
}

func (r linkRoot) Mkdir(name string, perm fs.FileMode) error {
	p, err := r.host(name)
	if err != nil {
		return err
	}
	return os.Mkdir(p, perm)
}

func (r linkRoot) Remove(name string) error {
	p, err := r.host(name)
	if err != nil {
		return err
	}
	return os.Remove(p)
}

// both resolves the two paths of a rename or a link and applies op.
func (r linkRoot) both(oldname, newname string, op func(o, n string) error) error {
	o, err := r.host(oldname)
	if err != nil {
		return err
	}
	n, err := r.host(newname)
	if err != nil {
		return err
	}
	return op(o, n)
}

func (r linkRoot) Rename(oldname, newname string) error { return r.both(oldname, newname, os.Rename) }

func (r linkRoot) Link(oldname, newname string) error { return r.both(oldname, newname, os.Link) }

func (r linkRoot) Symlink(oldname, newname string) error {
	return &fs.PathError{Op: "symlink", Path: newname, Err: syscall.EPERM}
}

func (r linkRoot) Readlink(name string) (string, error) {
	p, err := r.host(name)
	if err != nil {
		return "", err
	}
	return os.Readlink(p)
}

func (r linkRoot) Chtimes(name string, atime, mtime time.Time) error {
	p, err := r.host(name)
	if err != nil {
		return err
	}
	return os.Chtimes(p, atime, mtime)
}

func (r linkRoot) Close() error { return nil }
