package hostpath

import (
	"path/filepath"
	"strings"
)

// Below reports whether p is dir or lies below it. It is lexical: both
// paths are cleaned (filepath.Clean), nothing is read from the file system
// and no symbolic link is resolved, so callers that must see through links
// compare resolved forms as well (see action.Forms). The comparison is by
// whole elements: "/a/bc" is not below "/a/b". An absolute path is never
// below a relative dir, nor a relative path below an absolute one. Two
// relative paths are taken from the same directory: "" and "." are that
// directory, "a/../b" is "b", and a path that climbs above it ("..",
// "../x") is below "." only in so far as dir climbs the same way ("../x"
// is below ".." but not below "."; "../.." and "../../x" are not below
// "..", nor "../../a" below "../.."; "." is not below "..", whose name is
// not known).
//
// The runner runs on unix hosts, where a host path and a WASI guest path
// are both slash-separated: package wasi uses Below for guest paths too.
func Below(p, dir string) bool {
	p, dir = filepath.Clean(p), filepath.Clean(dir)
	if filepath.IsAbs(p) != filepath.IsAbs(dir) {
		return false
	}
	const sep = string(filepath.Separator)
	var rest string // what p adds to dir
	switch {
	case p == dir:
		return true
	case dir == ".":
		rest = p
	case dir == sep:
		return true // p is absolute too
	case strings.HasPrefix(p, dir+sep):
		rest = p[len(dir)+1:]
	default:
		return false
	}
	// p is clean, so a ".." can only lead it; after a dir that climbs
	// ("..", "../.."), p may climb further ("../.." after ".."), which is
	// not below dir.
	return rest != ".." && !strings.HasPrefix(rest, ".."+sep)
}

// Escapes reports whether p, which must name something below the directory
// it is relative to, does not: it is empty, absolute, or climbs above its
// start with "..".
func Escapes(p string) bool { return p == "" || !Below(p, ".") }

// BelowAny reports whether p, a clean path, is one of the paths in set or
// lies below one of them. It looks p and each of its parents up in set
// rather than comparing p with every member: for large sets, such as an
// action's declared inputs. The keys of set must be clean, relative or
// absolute as p is.
func BelowAny(set map[string]bool, p string) bool {
	if len(set) == 0 {
		return false
	}
	for ; ; p = filepath.Dir(p) {
		if set[p] {
			return true
		}
		if p == "." || p == string(filepath.Separator) {
			return false
		}
	}
}
