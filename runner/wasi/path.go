package wasi

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"syscall"
	"time"

	"github.com/tetratelabs/wazero/api"
	"golang.org/x/sys/unix"
)

// pathArg reads a path argument and resolves it against the directory fd.
func (s *State) pathArg(m api.Memory, fd, ptr, n uint32) (*mount, string, Errno) {
	p, errno := readString(m, ptr, n)
	if errno != ErrnoSuccess {
		return nil, "", errno
	}
	if strings.IndexByte(p, 0) >= 0 {
		return nil, "", ErrnoInval
	}
	mt, rel, errno := s.dirPath(fd, p)
	if errno == ErrnoSuccess && s.named != nil {
		s.named.record(mt, rel, false)
	}
	return mt, rel, errno
}

// writable refuses changes below a read-only mount.
func writable(mt *mount) Errno {
	if mt.ReadOnly {
		return ErrnoRofs
	}
	return ErrnoSuccess
}

// writablePathArg is pathArg for a path the call changes: below a
// read-only mount it is EROFS.
func (s *State) writablePathArg(m api.Memory, fd, ptr, n uint32) (*mount, string, Errno) {
	mt, rel, errno := s.pathArg(m, fd, ptr, n)
	if errno == ErrnoSuccess {
		errno = writable(mt)
	}
	return mt, rel, errno
}

func pathCreateDirectory(s *State, m api.Memory, p []uint64) Errno {
	fd, pathPtr, pathLen := uint32(p[0]), uint32(p[1]), uint32(p[2])
	mt, rel, errno := s.writablePathArg(m, fd, pathPtr, pathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	return errnoOf(mt.root.Mkdir(rel, 0o777))
}

func stat(mt *mount, rel string, follow bool) (fs.FileInfo, error) {
	if follow {
		return mt.root.Stat(rel)
	}
	return mt.root.Lstat(strings.TrimRight(rel, "/"))
}

func pathFilestatGet(s *State, m api.Memory, p []uint64) Errno {
	fd, flags, pathPtr, pathLen, statPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3]), uint32(p[4])
	mt, rel, errno := s.pathArg(m, fd, pathPtr, pathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	fi, err := stat(mt, rel, flags&lookupSymlinkFollow != 0 || s.hidesLinks(mt))
	if err != nil {
		return errnoOf(err)
	}
	if !m.Write(statPtr, s.filestat(mt, rel, fi)) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func pathFilestatSetTimes(s *State, m api.Memory, p []uint64) Errno {
	fd, flags, pathPtr, pathLen := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
	atim, mtim, fstFlags := p[4], p[5], uint16(p[6])
	mt, rel, errno := s.pathArg(m, fd, pathPtr, pathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	ts, errno := timespecs(atim, mtim, fstFlags)
	if errno != ErrnoSuccess {
		return errno
	}
	if errno := writable(mt); errno != ErrnoSuccess {
		return errno
	}
	if flags&lookupSymlinkFollow == 0 {
		if vr, ok := mt.root.(*viewRoot); ok {
			if err := vr.mayChange("chtimes", path.Clean(rel)); err != nil {
				return errnoOf(err)
			}
		}
		return setTimesNoFollow(mt, rel, ts)
	}
	fi, err := stat(mt, rel, true)
	if err != nil {
		return errnoOf(err)
	}
	// os.Root.Chtimes leaves a zero time unchanged; fill omitted times in
	// from the current stat.
	at, mtime := time.Unix(0, ts[0].Nano()), time.Unix(0, ts[1].Nano())
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		if ts[0].Nsec == omit {
			at = time.Unix(st.Atim.Unix())
		}
		if ts[1].Nsec == omit {
			mtime = time.Unix(st.Mtim.Unix())
		}
	}
	return errnoOf(mt.root.Chtimes(rel, at, mtime))
}

func pathLink(s *State, m api.Memory, p []uint64) Errno {
	oldFd, oldFlags, oldPath, oldPathLen := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
	newFd, newPath, newPathLen := uint32(p[4]), uint32(p[5]), uint32(p[6])
	if oldFlags&lookupSymlinkFollow != 0 {
		return ErrnoInval // hard links to what a symbolic link names are not supported
	}
	mt, orel, nrel, unlock, errno := s.movePaths(m, oldFd, oldPath, oldPathLen, newFd, newPath, newPathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	defer unlock()
	return errnoOf(mt.root.Link(orel, nrel))
}

// movePaths reads the two paths of path_link or path_rename: both must be
// below one mount (else EXDEV), that mount writable, and the move one that
// checkMove allows. On success linkMu is held until the caller calls
// unlock, so that no other move changes the links in between.
func (s *State) movePaths(m api.Memory, oldFd, oldPath, oldPathLen, newFd, newPath, newPathLen uint32) (mt *mount, orel, nrel string, unlock func(), errno Errno) {
	omt, orel, errno := s.pathArg(m, oldFd, oldPath, oldPathLen)
	if errno != ErrnoSuccess {
		return nil, "", "", nil, errno
	}
	mt, nrel, errno = s.pathArg(m, newFd, newPath, newPathLen)
	if errno != ErrnoSuccess {
		return nil, "", "", nil, errno
	}
	if omt != mt {
		return nil, "", "", nil, ErrnoXdev
	}
	if errno := writable(mt); errno != ErrnoSuccess {
		return nil, "", "", nil, errno
	}
	linkMu.Lock()
	if err := checkMove(mt, orel, nrel); err != nil {
		linkMu.Unlock()
		return nil, "", "", nil, errnoOf(err)
	}
	return mt, orel, nrel, linkMu.Unlock, ErrnoSuccess
}

// pathOpen opens a file or directory below a directory descriptor.
func pathOpen(s *State, m api.Memory, p []uint64) Errno {
	fd, dirflags, pathPtr, pathLen := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
	oflags, rights, inheriting, fdflags, fdPtr := uint16(p[4]), p[5], p[6], uint16(p[7]), uint32(p[8])
	mt, rel, errno := s.pathArg(m, fd, pathPtr, pathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	follow := dirflags&lookupSymlinkFollow != 0 || s.hidesLinks(mt)
	if dir, _ := s.get(fd); oflags&oflagTrunc != 0 && !s.has(dir, rightPathFilestatSetSize) {
		return ErrnoNotcapable // truncating needs path_filestat_set_size on the directory
	}

	flag := os.O_RDONLY
	if rights&writeRights != 0 {
		flag = os.O_RDWR
		if rights&rightFdRead == 0 {
			flag = os.O_WRONLY
		}
	}
	if oflags&oflagCreat != 0 {
		flag |= os.O_CREATE
	}
	if oflags&oflagExcl != 0 {
		flag |= os.O_EXCL
	}
	if oflags&oflagTrunc != 0 {
		flag |= os.O_TRUNC
	}
	if fdflags&fdflagAppend != 0 {
		flag |= os.O_APPEND
	}
	if fdflags&(fdflagSync|fdflagRsync) != 0 {
		flag |= os.O_SYNC
	} else if fdflags&fdflagDsync != 0 {
		flag |= syscall.O_DSYNC
	}
	if oflags&oflagDirectory != 0 {
		if flag&(os.O_WRONLY|os.O_RDWR) != 0 {
			return ErrnoIsdir // a directory cannot be opened for writing
		}
		flag |= syscall.O_DIRECTORY
	}
	if mt.ReadOnly && flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_TRUNC|os.O_APPEND) != 0 {
		return ErrnoRofs
	}
	if !follow {
		// os.Root follows a symbolic link in the last element; refuse it
		// here when the guest asked not to follow.
		if fi, err := mt.root.Lstat(strings.TrimRight(rel, "/")); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			if flag&os.O_CREATE != 0 && flag&os.O_EXCL != 0 {
				return ErrnoExist
			}
			if oflags&oflagDirectory != 0 {
				return ErrnoNotdir
			}
			return ErrnoLoop
		}
	}
	f, err := mt.root.OpenFile(rel, flag, 0o666)
	if err != nil {
		return errnoOf(err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return errnoOf(err)
	}
	e := &entry{kind: kindFile, mount: mt, rel: rel, file: f, flags: fdflags,
		rights: rights & fileRights, inheriting: inheriting}
	if fi.IsDir() {
		e.kind = kindDir
		e.rights = rights & dirRights
	} else if oflags&oflagDirectory != 0 {
		f.Close()
		return ErrnoNotdir
	}
	newFd, errno := s.add(e)
	if errno != ErrnoSuccess {
		f.Close()
		return errno
	}
	if s.audit != nil {
		s.audit.record(mt, rel, e.kind == kindDir)
	}
	if !m.WriteUint32Le(fdPtr, newFd) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func pathReadlink(s *State, m api.Memory, p []uint64) Errno {
	fd, pathPtr, pathLen, buf, buflen, bufusedPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3]), uint32(p[4]), uint32(p[5])
	mt, rel, errno := s.pathArg(m, fd, pathPtr, pathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	if s.hidesLinks(mt) {
		// What is there is shown as what the link points to: no link.
		if _, err := mt.root.Stat(rel); err != nil {
			return errnoOf(err)
		}
		return ErrnoInval
	}
	target, err := mt.root.Readlink(rel)
	if err != nil {
		return errnoOf(err)
	}
	if uint32(len(target)) > buflen {
		target = target[:buflen]
	}
	if !m.WriteString(buf, target) || !m.WriteUint32Le(bufusedPtr, uint32(len(target))) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

// toRemove reads the path argument of path_remove_directory or
// path_unlink_file: below a writable mount, and what is there (not
// followed if a symbolic link).
func (s *State) toRemove(m api.Memory, fd, ptr, n uint32) (*mount, string, os.FileInfo, Errno) {
	mt, rel, errno := s.writablePathArg(m, fd, ptr, n)
	if errno != ErrnoSuccess {
		return nil, "", nil, errno
	}
	fi, err := mt.root.Lstat(strings.TrimRight(rel, "/"))
	if err != nil {
		return nil, "", nil, errnoOf(err)
	}
	return mt, rel, fi, ErrnoSuccess
}

func pathRemoveDirectory(s *State, m api.Memory, p []uint64) Errno {
	fd, pathPtr, pathLen := uint32(p[0]), uint32(p[1]), uint32(p[2])
	mt, rel, fi, errno := s.toRemove(m, fd, pathPtr, pathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	if !fi.IsDir() {
		return ErrnoNotdir
	}
	return errnoOf(removeErr(mt.root.Remove(rel)))
}

// removeErr reports a non-empty directory as ENOTEMPTY (Linux's rmdir
// says EEXIST or ENOTEMPTY; WASI wants the latter).
func removeErr(err error) error {
	if errors.Is(err, syscall.EEXIST) {
		return syscall.ENOTEMPTY
	}
	return err
}

func pathRename(s *State, m api.Memory, p []uint64) Errno {
	fd, oldPath, oldPathLen := uint32(p[0]), uint32(p[1]), uint32(p[2])
	newFd, newPath, newPathLen := uint32(p[3]), uint32(p[4]), uint32(p[5])
	mt, orel, nrel, unlock, errno := s.movePaths(m, fd, oldPath, oldPathLen, newFd, newPath, newPathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	defer unlock()
	// rename(2) replaces an empty directory with a directory; Go's Rename
	// refuses any existing directory, so remove an empty one first.
	if nfi, err := mt.root.Lstat(strings.TrimRight(nrel, "/")); err == nil && nfi.IsDir() {
		ofi, err := mt.root.Lstat(strings.TrimRight(orel, "/"))
		if err != nil {
			return errnoOf(err)
		}
		if !ofi.IsDir() {
			return ErrnoIsdir
		}
		if err := mt.root.Remove(nrel); err != nil {
			return errnoOf(removeErr(err))
		}
	}
	return errnoOf(mt.root.Rename(orel, nrel))
}

func pathSymlink(s *State, m api.Memory, p []uint64) Errno {
	oldPath, oldPathLen, fd, newPath, newPathLen := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3]), uint32(p[4])
	target, errno := readString(m, oldPath, oldPathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	mt, rel, errno := s.writablePathArg(m, fd, newPath, newPathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	if strings.HasPrefix(target, "/") {
		// An absolute target would name a host path.
		return ErrnoPerm
	}
	linkMu.Lock()
	defer linkMu.Unlock()
	if err := checkNewLink(mt, rel, target); err != nil {
		return errnoOf(err)
	}
	return errnoOf(mt.root.Symlink(target, rel))
}

func pathUnlinkFile(s *State, m api.Memory, p []uint64) Errno {
	fd, pathPtr, pathLen := uint32(p[0]), uint32(p[1]), uint32(p[2])
	mt, rel, fi, errno := s.toRemove(m, fd, pathPtr, pathLen)
	if errno != ErrnoSuccess {
		return errno
	}
	if fi.IsDir() {
		return ErrnoIsdir
	}
	if strings.HasSuffix(rel, "/") {
		return ErrnoNotdir
	}
	return errnoOf(mt.root.Remove(rel))
}

// setTimesNoFollow sets the times of rel itself, a symbolic link included:
// utimensat with AT_SYMLINK_NOFOLLOW on the parent directory's descriptor
// (opened through the mount, so confined) and one path element.
func setTimesNoFollow(mt *mount, rel string, ts [2]unix.Timespec) Errno {
	rel = strings.TrimRight(rel, "/")
	parent, base := path.Split(rel)
	if parent == "" {
		parent = "."
	}
	if base == "" || base == "." || base == ".." {
		parent, base = rel, "." // the directory itself
	}
	dir, err := mt.root.Open(parent)
	if err != nil {
		return errnoOf(err)
	}
	defer dir.Close()
	raw, err := dir.SyscallConn()
	if err != nil {
		return errnoOf(err)
	}
	var serr error
	if err := raw.Control(func(fd uintptr) {
		serr = unix.UtimesNanoAt(int(fd), base, ts[:], unix.AT_SYMLINK_NOFOLLOW)
	}); err != nil {
		return errnoOf(err)
	}
	return errnoOf(serr)
}
