package engine

import (
	"fmt"
	"os"
	"path/filepath"
)

// DefaultCacheDir is where compiled code is kept when no directory is given:
// the user's cache directory, or, where there is none (a Bazel action's
// environment has no HOME), a directory of this user's in the temporary
// directory. "" when neither can be used.
func DefaultCacheDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		return filepath.Join(dir, "rules_rustc_wasm", "wazero")
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("rules_rustc_wasm-%d", os.Getuid()))
	if !PrivateDir(dir) {
		return ""
	}
	return filepath.Join(dir, "wazero")
}

// PrivateDir makes dir if it is missing and reports whether it is a
// directory of this user's that nobody else may write: compiled code in a
// cache runs as native code, so a shared temporary directory is used only
// through such a directory.
func PrivateDir(dir string) bool {
	if err := os.Mkdir(dir, 0o700); err != nil && !os.IsExist(err) {
		return false
	}
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() || fi.Mode().Perm()&0o077 != 0 {
		return false
	}
	return ownedByMe(fi)
}
