package wasi

import (
	"errors"
	"io/fs"
	"os"
	"sync"
	"syscall"
)

// Errno is a WASI preview-1 error number.
type Errno uint16

// The WASI preview-1 error numbers used by this package.
const (
	ErrnoSuccess     Errno = 0
	Errno2big        Errno = 1
	ErrnoAcces       Errno = 2
	ErrnoAgain       Errno = 6
	ErrnoBadf        Errno = 8
	ErrnoBusy        Errno = 10
	ErrnoExist       Errno = 20
	ErrnoFault       Errno = 21
	ErrnoFbig        Errno = 22
	ErrnoIntr        Errno = 27
	ErrnoInval       Errno = 28
	ErrnoIO          Errno = 29
	ErrnoIsdir       Errno = 31
	ErrnoLoop        Errno = 32
	ErrnoMfile       Errno = 33
	ErrnoMlink       Errno = 34
	ErrnoNametoolong Errno = 37
	ErrnoNoent       Errno = 44
	ErrnoNomem       Errno = 48
	ErrnoNospc       Errno = 51
	ErrnoNosys       Errno = 52
	ErrnoNotdir      Errno = 54
	ErrnoNotempty    Errno = 55
	ErrnoNotsup      Errno = 58
	ErrnoNotsock     Errno = 57
	ErrnoOverflow    Errno = 61
	ErrnoPerm        Errno = 63
	ErrnoPipe        Errno = 64
	ErrnoRange       Errno = 68
	ErrnoRofs        Errno = 69
	ErrnoSpipe       Errno = 70
	ErrnoXdev        Errno = 75
	ErrnoNotcapable  Errno = 76
)

var hostErrnos = map[syscall.Errno]Errno{
	syscall.E2BIG:        Errno2big,
	syscall.EACCES:       ErrnoAcces,
	syscall.EAGAIN:       ErrnoAgain,
	syscall.EBADF:        ErrnoBadf,
	syscall.EBUSY:        ErrnoBusy,
	syscall.EEXIST:       ErrnoExist,
	syscall.EFAULT:       ErrnoFault,
	syscall.EFBIG:        ErrnoFbig,
	syscall.EINTR:        ErrnoIntr,
	syscall.EINVAL:       ErrnoInval,
	syscall.EIO:          ErrnoIO,
	syscall.EISDIR:       ErrnoIsdir,
	syscall.ELOOP:        ErrnoLoop,
	syscall.EMFILE:       ErrnoMfile,
	syscall.EMLINK:       ErrnoMlink,
	syscall.ENAMETOOLONG: ErrnoNametoolong,
	syscall.ENOENT:       ErrnoNoent,
	syscall.ENOMEM:       ErrnoNomem,
	syscall.ENOSPC:       ErrnoNospc,
	syscall.ENOSYS:       ErrnoNosys,
	syscall.ENOTDIR:      ErrnoNotdir,
	syscall.ENOTEMPTY:    ErrnoNotempty,
	syscall.ENOTSUP:      ErrnoNotsup,
	syscall.EOVERFLOW:    ErrnoOverflow,
	syscall.EPERM:        ErrnoPerm,
	syscall.EPIPE:        ErrnoPipe,
	syscall.ERANGE:       ErrnoRange,
	syscall.EROFS:        ErrnoRofs,
	syscall.ESPIPE:       ErrnoSpipe,
	syscall.EXDEV:        ErrnoXdev,
}

// errnoOf maps a host error to the WASI errno a guest should see.
func errnoOf(err error) Errno {
	if err == nil {
		return ErrnoSuccess
	}
	var en syscall.Errno
	if errors.As(err, &en) {
		if e, ok := hostErrnos[en]; ok {
			return e
		}
		return ErrnoIO
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return ErrnoNoent
	case errors.Is(err, fs.ErrExist):
		return ErrnoExist
	case errors.Is(err, fs.ErrPermission):
		return ErrnoPerm
	case errors.Is(err, os.ErrClosed):
		return ErrnoBadf
	case errors.Is(err, errPathEscapes()):
		// os.Root refused a path that leaves the mount.
		return ErrnoPerm
	}
	return ErrnoIO
}

// errPathEscapes is the error with which os.Root refuses a path that leaves
// it. package os does not export it, so it is taken, once, from os.Root
// itself: an absolute path is refused before any file is touched.
var errPathEscapes = sync.OnceValue(func() error {
	r, err := os.OpenRoot(os.TempDir())
	if err != nil {
		return errNoSentinel
	}
	defer r.Close()
	_, err = r.Stat("/")
	var pe *fs.PathError
	if !errors.As(err, &pe) {
		return errNoSentinel
	}
	return pe.Err
})

// errNoSentinel stands for errPathEscapes if os.Root could not be asked;
// nothing else is this error.
var errNoSentinel = errors.New("no path-escape error")
