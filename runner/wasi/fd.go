package wasi

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"io"
	"io/fs"
	"path"
	"syscall"
	"time"
	"unsafe"

	"github.com/tetratelabs/wazero/api"
	"golang.org/x/sys/unix"
)

// filetypeOf maps a Go file mode to a WASI file type.
func filetypeOf(mode fs.FileMode) uint8 {
	switch {
	case mode.IsDir():
		return filetypeDirectory
	case mode&fs.ModeSymlink != 0:
		return filetypeSymbolicLink
	case mode.IsRegular():
		return filetypeRegularFile
	case mode&fs.ModeCharDevice != 0:
		return filetypeCharacterDevice
	case mode&fs.ModeDevice != 0:
		return 1 // block device
	case mode&fs.ModeSocket != 0:
		return 6 // stream socket
	}
	return filetypeUnknown
}

// hostFilestat encodes fi as a WASI filestat, as the host reports it.
func hostFilestat(fi fs.FileInfo) []byte {
	b := make([]byte, filestatSize)
	b[16] = filetypeOf(fi.Mode())
	binary.LittleEndian.PutUint64(b[32:], uint64(fi.Size()))
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		binary.LittleEndian.PutUint64(b[0:], st.Dev)
		binary.LittleEndian.PutUint64(b[8:], st.Ino)
		binary.LittleEndian.PutUint64(b[24:], uint64(st.Nlink))
		binary.LittleEndian.PutUint64(b[40:], uint64(st.Atim.Nano()))
		binary.LittleEndian.PutUint64(b[48:], uint64(st.Mtim.Nano()))
		binary.LittleEndian.PutUint64(b[56:], uint64(st.Ctim.Nano()))
	} else {
		binary.LittleEndian.PutUint64(b[24:], 1)
		binary.LittleEndian.PutUint64(b[48:], uint64(fi.ModTime().UnixNano()))
	}
	return b
}

// hostInode is the host's inode number of fi.
func hostInode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Ino
	}
	return 0
}

// A deterministic run is shown nothing of the host in a filestat or a
// directory entry but sizes and file types. The host's device, inode
// number, link count and times differ between two checkouts of the same
// sources (and between two builds in one), and a guest that hashes or
// records them, as rustc and proc macros may, would then turn the same
// sources into different outputs. So every file is on fixedDevice, has
// one link, was accessed, modified and changed at FixedWallClock (the time
// the run's wall clock reads), and has for inode a hash of the path the
// guest sees it at (pathInode), which is the same wherever the tree lies
// on the host.

// fixedDevice is the device of every file of a deterministic run.
const fixedDevice = 1

// pathInode is the inode of the file of type ftype at rel below mt in a
// deterministic run: a 64-bit FNV-1a hash of its guest path and its type
// (so that a symbolic link and the file it leads to, at one path, differ).
// It is never 0, which some readers take for a deleted entry.
func pathInode(mt *mount, rel string, ftype uint8) uint64 {
	h := fnv.New64a()
	h.Write([]byte{ftype})
	h.Write([]byte(mt.guestPath(rel)))
	return max(h.Sum64(), 1)
}

// filestat encodes fi, the file at rel below mt, as the guest is shown it.
func (s *State) filestat(mt *mount, rel string, fi fs.FileInfo) []byte {
	b := hostFilestat(fi)
	if s.deterministic {
		fixed := uint64(FixedWallClock.UnixNano())
		if fi.IsDir() {
			// A directory's size is the host file system's (it grows with
			// what it ever held on ext4, with its entries on tmpfs).
			binary.LittleEndian.PutUint64(b[32:], 0)
		}
		binary.LittleEndian.PutUint64(b[0:], fixedDevice)
		binary.LittleEndian.PutUint64(b[8:], pathInode(mt, rel, b[16]))
		binary.LittleEndian.PutUint64(b[24:], 1)
		binary.LittleEndian.PutUint64(b[40:], fixed)
		binary.LittleEndian.PutUint64(b[48:], fixed)
		binary.LittleEndian.PutUint64(b[56:], fixed)
	}
	return b
}

// inode is the inode number the guest is shown of fi, the file at rel
// below mt.
func (s *State) inode(mt *mount, rel string, fi fs.FileInfo) uint64 {
	if s.deterministic {
		return pathInode(mt, rel, filetypeOf(fi.Mode()))
	}
	return hostInode(fi)
}

// fileOf returns fd's open file; streams have none.
func (s *State) fileOf(fd uint32) (*entry, Errno) {
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return nil, errno
	}
	if e.file == nil {
		return nil, ErrnoBadf
	}
	return e, ErrnoSuccess
}

func fdAdvise(s *State, m api.Memory, p []uint64) Errno {
	fd, advice := uint32(p[0]), uint32(p[3]) // offset and len are only advice
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if advice > 5 {
		return ErrnoInval
	}
	if e.kind == kindDir {
		return ErrnoBadf
	}
	return ErrnoSuccess
}

func fdAllocate(s *State, m api.Memory, p []uint64) Errno {
	fd, offset, length := uint32(p[0]), p[1], p[2]
	e, errno := s.fileOf(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if e.kind == kindDir {
		return ErrnoBadf
	}
	fi, err := e.file.Stat()
	if err != nil {
		return errnoOf(err)
	}
	if end := int64(offset + length); end > fi.Size() {
		return errnoOf(e.file.Truncate(end))
	}
	return ErrnoSuccess
}

func fdClose(s *State, m api.Memory, p []uint64) Errno {
	fd := uint32(p[0])
	e, errno := s.remove(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if e.file != nil {
		return errnoOf(e.file.Close())
	}
	return ErrnoSuccess
}

func fdSync(s *State, m api.Memory, p []uint64) Errno {
	fd := uint32(p[0])
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if e.file == nil {
		return ErrnoSuccess
	}
	return errnoOf(e.file.Sync())
}

func fdFdstatGet(s *State, m api.Memory, p []uint64) Errno {
	fd, statPtr := uint32(p[0]), uint32(p[1])
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	b := make([]byte, fdstatSize)
	switch e.kind {
	case kindStdin, kindStdout, kindStderr:
		b[0] = filetypeCharacterDevice
	case kindDir:
		b[0] = filetypeDirectory
	default:
		b[0] = filetypeRegularFile
	}
	s.mu.Lock()
	binary.LittleEndian.PutUint16(b[2:], e.flags)
	binary.LittleEndian.PutUint64(b[8:], e.rights)
	binary.LittleEndian.PutUint64(b[16:], e.inheriting)
	s.mu.Unlock()
	if !m.Write(statPtr, b) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func fdFdstatSetFlags(s *State, m api.Memory, p []uint64) Errno {
	fd, flags := uint32(p[0]), uint16(p[1])
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if e.kind == kindFile {
		raw, err := e.file.SyscallConn()
		if err != nil {
			return errnoOf(err)
		}
		var serr error
		if err := raw.Control(func(fd uintptr) {
			var cur int
			if cur, serr = unix.FcntlInt(fd, unix.F_GETFL, 0); serr != nil {
				return
			}
			cur &^= unix.O_APPEND
			if flags&fdflagAppend != 0 {
				cur |= unix.O_APPEND
			}
			_, serr = unix.FcntlInt(fd, unix.F_SETFL, cur)
		}); err != nil {
			return errnoOf(err)
		}
		if serr != nil {
			return errnoOf(serr)
		}
	}
	s.mu.Lock()
	e.flags = flags
	s.mu.Unlock()
	return ErrnoSuccess
}

// fdFdstatSetRights narrows a descriptor's rights; it cannot widen them.
func fdFdstatSetRights(s *State, m api.Memory, p []uint64) Errno {
	fd, base, inheriting := uint32(p[0]), p[1], p[2]
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if base&^e.rights != 0 || inheriting&^e.inheriting != 0 {
		return ErrnoNotcapable
	}
	e.rights, e.inheriting = base, inheriting
	return ErrnoSuccess
}

// has reports whether e holds the right r.
func (s *State) has(e *entry, r uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return e.rights&r != 0
}

func fdFilestatGet(s *State, m api.Memory, p []uint64) Errno {
	fd, statPtr := uint32(p[0]), uint32(p[1])
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	var b []byte
	if e.file == nil {
		b = make([]byte, filestatSize)
		b[16] = filetypeCharacterDevice
		binary.LittleEndian.PutUint64(b[24:], 1)
	} else {
		fi, err := e.file.Stat()
		if err != nil {
			return errnoOf(err)
		}
		b = s.filestat(e.mount, e.rel, fi)
	}
	if !m.Write(statPtr, b) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func fdFilestatSetSize(s *State, m api.Memory, p []uint64) Errno {
	fd, size := uint32(p[0]), p[1]
	e, errno := s.fileOf(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if e.kind == kindDir {
		return ErrnoIsdir
	}
	if e.mount.ReadOnly {
		return ErrnoRofs
	}
	return errnoOf(e.file.Truncate(int64(size)))
}

// timespecs turns the (atim, mtim, fstflags) of the set_times calls into
// utimensat's pair.
func timespecs(atim, mtim uint64, flags uint16) ([2]unix.Timespec, Errno) {
	ts := [2]unix.Timespec{{Nsec: unix.UTIME_OMIT}, {Nsec: unix.UTIME_OMIT}}
	if flags&fstAtim != 0 && flags&fstAtimNow != 0 || flags&fstMtim != 0 && flags&fstMtimNow != 0 {
		return ts, ErrnoInval
	}
	if flags&fstAtim != 0 {
		ts[0] = unix.NsecToTimespec(int64(atim))
	} else if flags&fstAtimNow != 0 {
		ts[0] = unix.NsecToTimespec(time.Now().UnixNano())
	}
	if flags&fstMtim != 0 {
		ts[1] = unix.NsecToTimespec(int64(mtim))
	} else if flags&fstMtimNow != 0 {
		ts[1] = unix.NsecToTimespec(time.Now().UnixNano())
	}
	return ts, ErrnoSuccess
}

func fdFilestatSetTimes(s *State, m api.Memory, p []uint64) Errno {
	fd, atim, mtim, fstFlags := uint32(p[0]), p[1], p[2], uint16(p[3])
	e, errno := s.fileOf(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	ts, errno := timespecs(atim, mtim, fstFlags)
	if errno != ErrnoSuccess {
		return errno
	}
	if e.mount.ReadOnly {
		return ErrnoRofs
	}
	raw, err := e.file.SyscallConn()
	if err != nil {
		return errnoOf(err)
	}
	var serr error
	err = raw.Control(func(fd uintptr) {
		// utimensat with a NULL path is futimens: it acts on fd itself.
		_, _, en := unix.Syscall6(unix.SYS_UTIMENSAT, fd, 0, uintptr(unsafe.Pointer(&ts[0])), 0, 0, 0)
		if en != 0 {
			serr = en
		}
	})
	if err != nil {
		return errnoOf(err)
	}
	return errnoOf(serr)
}

func fdPrestatGet(s *State, m api.Memory, p []uint64) Errno {
	fd, prestatPtr := uint32(p[0]), uint32(p[1])
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if !e.preopen {
		return ErrnoBadf
	}
	b := make([]byte, 8)
	binary.LittleEndian.PutUint32(b[4:], uint32(len(e.mount.GuestPath)))
	if !m.Write(prestatPtr, b) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func fdPrestatDirName(s *State, m api.Memory, p []uint64) Errno {
	fd, pathPtr, pathLen := uint32(p[0]), uint32(p[1]), uint32(p[2])
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if !e.preopen {
		return ErrnoBadf
	}
	name := e.mount.GuestPath
	if uint64(len(name)) > uint64(pathLen) {
		return ErrnoNametoolong
	}
	if !m.WriteString(pathPtr, name) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func (s *State) reader(e *entry) (io.Reader, Errno) {
	if e.kind != kindDir && !s.has(e, rightFdRead) {
		return nil, ErrnoBadf
	}
	switch e.kind {
	case kindStdin:
		return s.stdin, ErrnoSuccess
	case kindFile:
		return e.file, ErrnoSuccess
	case kindDir:
		return nil, ErrnoIsdir
	}
	return nil, ErrnoBadf
}

func (s *State) writer(e *entry) (io.Writer, Errno) {
	if e.kind != kindDir && !s.has(e, rightFdWrite) {
		return nil, ErrnoBadf
	}
	switch e.kind {
	case kindStdout:
		return s.stdout, ErrnoSuccess
	case kindStderr:
		return s.stderr, ErrnoSuccess
	case kindFile:
		return e.file, ErrnoSuccess
	case kindDir:
		return nil, ErrnoIsdir
	}
	return nil, ErrnoBadf
}

func fdRead(s *State, m api.Memory, p []uint64) Errno {
	fd, iovs, iovsLen, nreadPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
	return s.readv(m, fd, iovs, iovsLen, nil, nreadPtr)
}

func fdPread(s *State, m api.Memory, p []uint64) Errno {
	fd, iovs, iovsLen, offset, nreadPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), int64(p[3]), uint32(p[4])
	return s.readv(m, fd, iovs, iovsLen, &offset, nreadPtr)
}

func fdWrite(s *State, m api.Memory, p []uint64) Errno {
	fd, iovs, iovsLen, nwrittenPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), uint32(p[3])
	return s.writev(m, fd, iovs, iovsLen, nil, nwrittenPtr)
}

func fdPwrite(s *State, m api.Memory, p []uint64) Errno {
	fd, iovs, iovsLen, offset, nwrittenPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), int64(p[3]), uint32(p[4])
	return s.writev(m, fd, iovs, iovsLen, &offset, nwrittenPtr)
}

// positioned checks that e can be read or written at offset: only a
// regular file can, at an offset that is not negative.
func positioned(e *entry, offset int64) Errno {
	switch e.kind {
	case kindDir:
		return ErrnoIsdir
	case kindFile:
		if offset < 0 {
			return ErrnoInval
		}
		return ErrnoSuccess
	}
	return ErrnoSpipe
}

// readv is fd_read, and with an offset fd_pread, which leaves the file's
// position alone. It fills the buffers in turn and stops at the first short
// read; an error after some bytes were read ends the read without failing
// it. It stores the count read at nreadPtr.
func (s *State) readv(m api.Memory, fd, iovs, iovsLen uint32, offset *int64, nreadPtr uint32) Errno {
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	var read func([]byte) (int, error)
	if offset == nil {
		r, errno := s.reader(e)
		if errno != ErrnoSuccess {
			return errno
		}
		read = r.Read
	} else {
		if errno := positioned(e, *offset); errno != ErrnoSuccess {
			return errno
		}
		off := *offset
		read = func(b []byte) (int, error) {
			n, err := e.file.ReadAt(b, off)
			off += int64(n)
			return n, err
		}
	}
	return transfer(m, iovs, iovsLen, read, nreadPtr)
}

// writev is fd_write, and with an offset fd_pwrite, which leaves the file's
// position alone. It writes the buffers in turn and stops at the first
// short write; an error after some bytes were written ends the write
// without failing it. It stores the count written at nwrittenPtr.
func (s *State) writev(m api.Memory, fd, iovs, iovsLen uint32, offset *int64, nwrittenPtr uint32) Errno {
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	var write func([]byte) (int, error)
	if offset == nil {
		w, errno := s.writer(e)
		if errno != ErrnoSuccess {
			return errno
		}
		write = w.Write
	} else {
		if errno := positioned(e, *offset); errno != ErrnoSuccess {
			return errno
		}
		raw, err := e.file.SyscallConn()
		if err != nil {
			return errnoOf(err)
		}
		off := *offset
		write = func(b []byte) (n int, err error) {
			// pwrite(2) itself: os.File.WriteAt refuses files opened
			// for appending.
			if cerr := raw.Control(func(fd uintptr) { n, err = unix.Pwrite(int(fd), b, off) }); cerr != nil {
				return 0, cerr
			}
			n = max(n, 0)
			off += int64(n)
			return n, err
		}
	}
	return transfer(m, iovs, iovsLen, write, nwrittenPtr)
}

// transfer is the loop of readv and writev: op (a read or a write) fills
// or drains the guest's buffers in turn, up to maxTransfer bytes, and stops
// at the first short transfer or at io.EOF; an error after some bytes were
// moved ends the transfer without failing it. Empty buffers are passed
// over, as writev(2) and readv(2) do. It stores the count at countPtr.
func transfer(m api.Memory, iovs, iovsLen uint32, op func([]byte) (int, error), countPtr uint32) Errno {
	bufs, errno := iovecs(m, iovs, iovsLen)
	if errno != ErrnoSuccess {
		return errno
	}
	total := uint64(0)
	for i := uint32(0); i < bufs.n && total < maxTransfer; i++ {
		b, ok := bufs.buf(i)
		if !ok {
			break // changed by another thread since the check
		}
		if b = clip(b, total); len(b) == 0 {
			continue
		}
		n, err := op(b)
		total += uint64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			if total == 0 {
				return errnoOf(err)
			}
			break
		}
		if n < len(b) {
			break
		}
	}
	if !m.WriteUint32Le(countPtr, uint32(total)) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func fdSeek(s *State, m api.Memory, p []uint64) Errno {
	fd, offset, whence, newoffsetPtr := uint32(p[0]), int64(p[1]), uint32(p[2]), uint32(p[3])
	return s.seek(m, fd, offset, whence, newoffsetPtr)
}

func fdTell(s *State, m api.Memory, p []uint64) Errno {
	fd, offsetPtr := uint32(p[0]), uint32(p[1])
	return s.seek(m, fd, 0, whenceCur, offsetPtr)
}

// seek moves fd's position and stores the new one at resultPtr.
func (s *State) seek(m api.Memory, fd uint32, offset int64, whence uint32, resultPtr uint32) Errno {
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	switch e.kind {
	case kindDir:
		return ErrnoBadf
	case kindFile:
	default:
		return ErrnoSpipe
	}
	var goWhence int
	switch whence {
	case whenceSet:
		goWhence = io.SeekStart
	case whenceCur:
		goWhence = io.SeekCurrent
	case whenceEnd:
		goWhence = io.SeekEnd
	default:
		return ErrnoInval
	}
	off, err := e.file.Seek(offset, goWhence)
	if err != nil {
		return errnoOf(err)
	}
	if !m.WriteUint64Le(resultPtr, uint64(off)) {
		return ErrnoFault
	}
	return ErrnoSuccess
}

func fdRenumber(s *State, m api.Memory, p []uint64) Errno {
	from, to := uint32(p[0]), uint32(p[1]) // fd, to
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.fds[from]
	if !ok {
		return ErrnoBadf
	}
	old, ok := s.fds[to]
	if !ok {
		return ErrnoBadf
	}
	if from == to {
		return ErrnoSuccess
	}
	if old.file != nil {
		old.file.Close()
	}
	s.fds[to] = e
	delete(s.fds, from)
	return ErrnoSuccess
}

// listDir reads a directory for fd_readdir: ".", ".." and the entries,
// sorted, each with its inode and type.
func (s *State) listDir(e *entry) ([]dirent, error) {
	dir, err := e.mount.root.Open(e.rel)
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	self, err := dir.Stat()
	if err != nil {
		return nil, err
	}
	selfIno := s.inode(e.mount, e.rel, self)
	parentIno := selfIno
	if e.rel != "." {
		if fi, err := e.mount.root.Stat(e.rel + "/.."); err == nil {
			parentIno = s.inode(e.mount, e.rel+"/..", fi)
		}
	}
	list, err := dir.ReadDir(-1)
	if err != nil {
		return nil, err
	}
	out := []dirent{{".", selfIno, filetypeDirectory}, {"..", parentIno, filetypeDirectory}}
	var rest []dirent
	for _, d := range list {
		if vr, ok := e.mount.root.(*viewRoot); ok && !vr.v.visible(e.rel, d.Name()) {
			continue // not in the mount's view
		}
		fi, err := d.Info()
		if err == nil && fi.Mode()&fs.ModeSymlink != 0 && s.hidesLinks(e.mount) {
			fi, err = e.mount.root.Stat(path.Join(e.rel, d.Name()))
		}
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the listing, or a link to nothing
		} else if err != nil {
			return nil, err
		}
		rest = append(rest, dirent{d.Name(), s.inode(e.mount, path.Join(e.rel, d.Name()), fi), filetypeOf(fi.Mode())})
	}
	sortDirents(rest)
	return append(out, rest...), nil
}

func fdReaddir(s *State, m api.Memory, p []uint64) Errno {
	fd, buf, buflen, cookie, usedPtr := uint32(p[0]), uint32(p[1]), uint32(p[2]), p[3], uint32(p[4])
	e, errno := s.get(fd)
	if errno != ErrnoSuccess {
		return errno
	}
	if e.kind != kindDir {
		return ErrnoNotdir
	}
	if s.named != nil {
		s.named.record(e.mount, e.rel, true) // also a preopen, never named
	}
	s.mu.Lock()
	list := e.dirents
	s.mu.Unlock()
	if cookie == 0 || list == nil {
		var err error
		if list, err = s.listDir(e); err != nil {
			return errnoOf(err)
		}
		s.mu.Lock()
		e.dirents = list
		s.mu.Unlock()
	}
	if cookie > uint64(len(list)) {
		return ErrnoInval
	}
	var out []byte
	for i := cookie; i < uint64(len(list)) && uint32(len(out)) < buflen; i++ {
		d := list[i]
		h := make([]byte, direntSize)
		binary.LittleEndian.PutUint64(h[0:], i+1)
		binary.LittleEndian.PutUint64(h[8:], d.ino)
		binary.LittleEndian.PutUint32(h[16:], uint32(len(d.name)))
		h[20] = d.ftype
		out = append(out, h...)
		out = append(out, d.name...)
	}
	if uint32(len(out)) > buflen {
		out = out[:buflen] // a full buffer tells the guest to read on
	}
	if !m.Write(buf, out) || !m.WriteUint32Le(usedPtr, uint32(len(out))) {
		return ErrnoFault
	}
	return ErrnoSuccess
}
