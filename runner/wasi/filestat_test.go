package wasi

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/tetratelabs/wazero/api"
)

// statTree lays out a file and a subdirectory holding another file, all
// last modified at mtime.
func statTree(t *testing.T, mtime time.Time) string {
	t.Helper()
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("alpha"), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "b.txt"), []byte("beta!!"), 0o644)
	for _, p := range []string{"a.txt", "sub/b.txt", "sub", "."} {
		if err := os.Chtimes(filepath.Join(dir, p), mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// hostIno is the host's inode number of p.
func hostIno(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

// pathStat is path_filestat_get of name below fd 3, links followed.
func pathStat(t *testing.T, s *State, m api.Memory, name string) []byte {
	t.Helper()
	m.WriteString(100, name)
	if errno := pathFilestatGet(s, m, []uint64{3, lookupSymlinkFollow, 100, uint64(len(name)), 300}); errno != ErrnoSuccess {
		t.Fatalf("path_filestat_get %s: %v", name, errno)
	}
	b, _ := m.Read(300, filestatSize)
	return bytes.Clone(b)
}

// fdStat is fd_filestat_get of fd.
func fdStat(t *testing.T, s *State, m api.Memory, fd uint32) []byte {
	t.Helper()
	if errno := fdFilestatGet(s, m, []uint64{uint64(fd), 300}); errno != ErrnoSuccess {
		t.Fatalf("fd_filestat_get %d: %v", fd, errno)
	}
	b, _ := m.Read(300, filestatSize)
	return bytes.Clone(b)
}

// readdir is the whole of fd_readdir of fd, and its entries' inodes by name.
func readdir(t *testing.T, s *State, m api.Memory, fd uint32) ([]byte, map[string]uint64) {
	t.Helper()
	if errno := fdReaddir(s, m, []uint64{uint64(fd), 1000, 4096, 0, 400}); errno != ErrnoSuccess {
		t.Fatalf("fd_readdir %d: %v", fd, errno)
	}
	raw, _ := m.Read(1000, u32(m, 400))
	raw = bytes.Clone(raw)
	inos := map[string]uint64{}
	for b := raw; len(b) >= direntSize; {
		n := binary.LittleEndian.Uint32(b[16:])
		inos[string(b[direntSize:direntSize+n])] = binary.LittleEndian.Uint64(b[8:])
		b = b[direntSize+n:]
	}
	return raw, inos
}

func statIno(b []byte) uint64 { return binary.LittleEndian.Uint64(b[8:]) }

// TestDeterministicFilestat: a deterministic run reports the same
// filestats and directory entries for the same tree wherever it lies on
// the host, whatever its times and inode numbers there: nothing of the
// host but sizes and file types reaches the guest.
func TestDeterministicFilestat(t *testing.T) {
	dirs := []string{
		statTree(t, time.Date(2021, 3, 4, 5, 6, 7, 8, time.UTC)),
		statTree(t, time.Date(2024, 9, 10, 11, 12, 13, 14, time.UTC)),
	}
	if hostIno(t, filepath.Join(dirs[0], "a.txt")) == hostIno(t, filepath.Join(dirs[1], "a.txt")) {
		t.Fatal("the two trees share inode numbers")
	}
	type seen struct {
		stats   map[string][]byte // by what was asked
		listing map[string][]byte // fd_readdir's bytes, by directory
	}
	var runs []seen
	for _, dir := range dirs {
		s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/"}}, Deterministic: true})
		m := newMemory(t)
		r := seen{stats: map[string][]byte{}, listing: map[string][]byte{}}
		for _, p := range []string{"a.txt", "sub", "sub/b.txt", ".", "sub/../a.txt", "sub/"} {
			r.stats["path "+p] = pathStat(t, s, m, p)
		}
		r.stats["fd root"] = fdStat(t, s, m, 3)
		file := openFile(t, s, m, "a.txt", 0, 0)
		r.stats["fd a.txt"] = fdStat(t, s, m, file)
		m.WriteString(100, "sub")
		if errno := pathOpen(s, m, []uint64{3, 0, 100, 3, oflagDirectory, dirRights, dirRights, 0, 200}); errno != ErrnoSuccess {
			t.Fatal(errno)
		}
		sub := u32(m, 200)
		r.stats["fd sub"] = fdStat(t, s, m, sub)
		var root, below map[string]uint64
		r.listing["/"], root = readdir(t, s, m, 3)
		r.listing["sub"], below = readdir(t, s, m, sub)

		// Nothing of the host: one device, one link, the fixed clock;
		// the real size and type.
		fixed := uint64(FixedWallClock.UnixNano())
		for what, b := range r.stats {
			dev, nlink := binary.LittleEndian.Uint64(b[0:]), binary.LittleEndian.Uint64(b[24:])
			at, mt, ct := binary.LittleEndian.Uint64(b[40:]), binary.LittleEndian.Uint64(b[48:]), binary.LittleEndian.Uint64(b[56:])
			if dev != fixedDevice || nlink != 1 || at != fixed || mt != fixed || ct != fixed {
				t.Errorf("%s: dev %d nlink %d times %d %d %d", what, dev, nlink, at, mt, ct)
			}
		}
		if size := binary.LittleEndian.Uint64(r.stats["path a.txt"][32:]); size != 5 || r.stats["path a.txt"][16] != filetypeRegularFile {
			t.Errorf("a.txt: size %d type %d", size, r.stats["path a.txt"][16])
		}
		if r.stats["path sub"][16] != filetypeDirectory {
			t.Errorf("sub: type %d", r.stats["path sub"][16])
		}

		// A file has one inode however the guest comes to it.
		same := map[string][]uint64{
			"a.txt": {statIno(r.stats["path a.txt"]), statIno(r.stats["fd a.txt"]), statIno(r.stats["path sub/../a.txt"]), root["a.txt"]},
			"sub":   {statIno(r.stats["path sub"]), statIno(r.stats["path sub/"]), statIno(r.stats["fd sub"]), root["sub"], below["."]},
			"root":  {statIno(r.stats["path ."]), statIno(r.stats["fd root"]), root["."], root[".."], below[".."]},
			"b.txt": {statIno(r.stats["path sub/b.txt"]), below["b.txt"]},
		}
		distinct := map[uint64]string{}
		for name, inos := range same {
			for _, ino := range inos[1:] {
				if ino != inos[0] {
					t.Errorf("%s: inodes %d", name, inos)
				}
			}
			if other, dup := distinct[inos[0]]; dup || inos[0] == 0 {
				t.Errorf("%s and %s: inode %d", name, other, inos[0])
			}
			distinct[inos[0]] = name
		}
		runs = append(runs, r)
	}
	for what, b := range runs[0].stats {
		if !bytes.Equal(b, runs[1].stats[what]) {
			t.Errorf("%s differs between the trees:\n%x\n%x", what, b, runs[1].stats[what])
		}
	}
	for dir, b := range runs[0].listing {
		if !bytes.Equal(b, runs[1].listing[dir]) {
			t.Errorf("fd_readdir of %s differs between the trees:\n%x\n%x", dir, b, runs[1].listing[dir])
		}
	}
}

// TestHostFilestat: a run that is not deterministic reports the host's
// times and inode numbers.
func TestHostFilestat(t *testing.T) {
	mtime := time.Date(2021, 3, 4, 5, 6, 7, 8, time.UTC)
	dir := statTree(t, mtime)
	s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/"}}})
	m := newMemory(t)
	b := pathStat(t, s, m, "a.txt")
	if got := binary.LittleEndian.Uint64(b[48:]); got != uint64(mtime.UnixNano()) {
		t.Errorf("mtime %d, want the host's %d", got, mtime.UnixNano())
	}
	if got, want := statIno(b), hostIno(t, filepath.Join(dir, "a.txt")); got != want {
		t.Errorf("inode %d, want the host's %d", got, want)
	}
	_, inos := readdir(t, s, m, 3)
	if got, want := inos["sub"], hostIno(t, filepath.Join(dir, "sub")); got != want {
		t.Errorf("fd_readdir's inode of sub %d, want the host's %d", got, want)
	}
}

// TestDeterministicRunsSeeNoHostLinks: in a deterministic run of a mount
// that follows the host's links, a tree of links (a sandbox's execution
// root) and a tree of files (a local one) look the same: a link is what
// it points to, for lstat, directory entries, path_open without following
// and readlink, and a directory's size is not the host's. Before, the
// guest saw the link, its length and its host target.
func TestDeterministicRunsSeeNoHostLinks(t *testing.T) {
	mtime := time.Date(2021, 3, 4, 5, 6, 7, 8, time.UTC)
	plain := statTree(t, mtime)
	// The same tree, its files links to files elsewhere, its directory
	// grown on the host by files made and removed.
	elsewhere := statTree(t, mtime)
	linked := t.TempDir()
	os.Mkdir(filepath.Join(linked, "sub"), 0o755)
	for _, p := range []string{"a.txt", "sub/b.txt"} {
		if err := os.Symlink(filepath.Join(elsewhere, p), filepath.Join(linked, p)); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 200; i++ {
		p := filepath.Join(linked, "sub", fmt.Sprintf("gone-%03d-with-a-long-name", i))
		os.WriteFile(p, nil, 0o644)
		os.Remove(p)
	}
	var seen [][]byte
	for _, dir := range []string{plain, linked} {
		s := newState(t, Config{Mounts: []Mount{{HostPath: dir, GuestPath: "/", FollowHostLinks: true}}, Deterministic: true})
		m := newMemory(t)
		var all []byte
		for _, p := range []string{"a.txt", "sub", "sub/b.txt", "."} {
			m.WriteString(100, p)
			if errno := pathFilestatGet(s, m, []uint64{3, 0, 100, uint64(len(p)), 300}); errno != ErrnoSuccess {
				t.Fatalf("%s: lstat %s: %v", dir, p, errno)
			}
			b, _ := m.Read(300, filestatSize)
			all = append(all, b...)
		}
		if size := binary.LittleEndian.Uint64(all[filestatSize+32:]); size != 0 {
			t.Errorf("%s: sub's size %d, want 0", dir, size)
		}
		m.WriteString(100, "a.txt")
		if errno := pathReadlink(s, m, []uint64{3, 100, 5, 500, 256, 400}); errno != ErrnoInval {
			t.Errorf("%s: readlink a.txt: %v, want EINVAL (no link)", dir, errno)
		}
		m.WriteString(100, "a.txt")
		if errno := pathOpen(s, m, []uint64{3, 0, 100, 5, 0, fileRights, 0, 0, 200}); errno != ErrnoSuccess {
			t.Errorf("%s: open a.txt without following: %v", dir, errno)
		}
		m.WriteString(100, "sub")
		if errno := pathOpen(s, m, []uint64{3, 0, 100, 3, oflagDirectory, dirRights, dirRights, 0, 200}); errno != ErrnoSuccess {
			t.Fatal(errno)
		}
		listing, _ := readdir(t, s, m, u32(m, 200))
		seen = append(seen, append(all, listing...))
	}
	if !bytes.Equal(seen[0], seen[1]) {
		t.Errorf("a tree of links looks other than a tree of files:\n%x\n%x", seen[0], seen[1])
	}
}
