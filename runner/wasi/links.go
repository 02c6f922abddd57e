package wasi

// Symbolic links the guest makes or moves. A link-following mount follows
// host links wherever they point, and the host trusts the links it made
// itself. The guest must therefore never be able to make a link that leads
// out of its mount, neither by creating one (path_symlink) nor by moving or
// hard-linking an existing one, or a directory holding one, to where its
// relative target climbs further (path_rename, path_link). A link left by a
// strict run must not lead out either, for a later link-following run over
// the same directory would follow it.
//
// The rule, checked on the host's physical paths (every link resolved, as
// /proc/self/fd gives them):
//   - a new link's target is relative, has no ".." after a name (the OS
//     would resolve that ".." physically, through whatever link the name
//     is), and its leading ".." stay within the mount's real directory;
//   - a link may be renamed or hard-linked to the directory it is in, or
//     where the same rule holds for it; absolute targets resolve the same
//     anywhere;
//   - a directory renamed to another parent may hold only links for which
//     the rule holds at their new place.
//
// One lock serialises these checks with the operations they guard, for all
// runs of the process (a worker's requests can share a directory), so no
// guest thread can swap what was checked before it is moved.

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

var linkMu sync.Mutex

// errLinkEscape is the error of an operation that would leave a symbolic
// link leading out of its mount.
var errLinkEscape = &fs.PathError{Op: "link", Path: "", Err: syscall.EPERM}

// physical returns the host path, with every symbolic link resolved, of the
// directory rel of mt.
func physical(mt *mount, rel string) (string, error) {
	f, err := mt.base().Open(rel)
	if err != nil {
		return "", err
	}
	defer f.Close()
	raw, err := f.SyscallConn()
	if err != nil {
		return "", err
	}
	var p string
	var rerr error
	if err := raw.Control(func(fd uintptr) {
		p, rerr = os.Readlink(fmt.Sprintf("/proc/self/fd/%d", fd))
	}); err != nil {
		return "", err
	}
	return p, rerr
}

// within reports whether host path p is root or below it.
func within(root, p string) bool {
	return p == root || root == "/" || strings.HasPrefix(p, root+"/")
}

// staysIn reports whether a symbolic link to target, sitting in the host
// directory dir, resolves below root by the rule above.
func staysIn(root, dir, target string) bool {
	if target == "" || path.IsAbs(target) || !within(root, dir) {
		return false
	}
	up, named := 0, false
	for _, el := range strings.Split(target, "/") {
		switch el {
		case "", ".":
		case "..":
			if named {
				return false
			}
			up++
		default:
			named = true
		}
	}
	for ; up > 0; up-- {
		if dir == root {
			return false
		}
		dir = filepath.Dir(dir)
	}
	return true
}

// base is the mount's root without a filter in front of it (a view).
func (mt *mount) base() fsRoot {
	if w, ok := mt.root.(interface{ unwrap() fsRoot }); ok {
		return w.unwrap()
	}
	return mt.root
}

// parentOf is the directory of rel within its mount.
func parentOf(rel string) string {
	return path.Dir(path.Clean(strings.TrimRight(rel, "/")))
}

// checkNewLink refuses a link to target at rel that would lead out of mt.
func checkNewLink(mt *mount, rel, target string) error {
	root, err := physical(mt, ".")
	if err != nil {
		return err
	}
	dir, err := physical(mt, parentOf(rel))
	if err != nil {
		return err
	}
	if !staysIn(root, dir, target) {
		return errLinkEscape
	}
	return nil
}

// checkMove refuses to rename (or hard-link) orel to nrel when a link it is
// or holds would then lead out of mt where it did not lead before.
func checkMove(mt *mount, orel, nrel string) error {
	base := mt.base()
	fi, err := base.Lstat(strings.TrimRight(orel, "/"))
	if err != nil {
		return nil // the operation itself reports it
	}
	if fi.Mode()&fs.ModeSymlink == 0 && !fi.IsDir() {
		return nil
	}
	oldDir, err := physical(mt, parentOf(orel))
	if err != nil {
		return nil
	}
	newDir, err := physical(mt, parentOf(nrel))
	if err != nil {
		return nil // no such parent: the operation fails anyway
	}
	if oldDir == newDir {
		return nil // every link resolves as it did
	}
	root, err := physical(mt, ".")
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := base.Readlink(strings.TrimRight(orel, "/"))
		if err != nil {
			return err
		}
		if !path.IsAbs(target) && !staysIn(root, newDir, target) {
			return errLinkEscape
		}
		return nil
	}
	// A directory: every relative link below it must stay in at its new
	// place, newDir/<new name>/<its path below the directory>.
	moved := filepath.Join(newDir, path.Base(path.Clean(strings.TrimRight(nrel, "/"))))
	return walkLinks(base, path.Clean(strings.TrimRight(orel, "/")), "", func(sub, target string) error {
		if !path.IsAbs(target) && !staysIn(root, filepath.Join(moved, filepath.FromSlash(sub)), target) {
			return errLinkEscape
		}
		return nil
	})
}

// walkLinks calls f with each symbolic link below the directory dir of
// root: the link's directory relative to dir ("" for dir itself) and its
// target. It does not follow links.
func walkLinks(root fsRoot, dir, sub string, f func(sub, target string) error) error {
	d, err := root.Open(path.Join(dir, sub))
	if err != nil {
		return err
	}
	ents, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return err
	}
	for _, e := range ents {
		name := path.Join(sub, e.Name())
		switch {
		case e.Type()&fs.ModeSymlink != 0:
			target, err := root.Readlink(path.Join(dir, name))
			if err != nil {
				return err
			}
			if err := f(sub, target); err != nil {
				return err
			}
		case e.IsDir():
			if err := walkLinks(root, dir, name, f); err != nil {
				return err
			}
		}
	}
	return nil
}
