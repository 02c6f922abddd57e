package wasi

// Constants and struct layouts of WASI preview 1 (wasi_snapshot_preview1),
// as the witx definitions give them.

const moduleName = "wasi_snapshot_preview1"

// File types.
const (
	filetypeUnknown         = 0
	filetypeCharacterDevice = 2
	filetypeDirectory       = 3
	filetypeRegularFile     = 4
	filetypeSymbolicLink    = 7
)

// fdflags.
const (
	fdflagAppend   = 1 << 0
	fdflagDsync    = 1 << 1
	fdflagNonblock = 1 << 2
	fdflagRsync    = 1 << 3
	fdflagSync     = 1 << 4
)

// oflags.
const (
	oflagCreat     = 1 << 0
	oflagDirectory = 1 << 1
	oflagExcl      = 1 << 2
	oflagTrunc     = 1 << 3
)

// lookupflags.
const lookupSymlinkFollow = 1 << 0

// omit is utimensat's UTIME_OMIT.
const omit = (1 << 30) - 2

// fstflags.
const (
	fstAtim    = 1 << 0
	fstAtimNow = 1 << 1
	fstMtim    = 1 << 2
	fstMtimNow = 1 << 3
)

// whence.
const (
	whenceSet = 0
	whenceCur = 1
	whenceEnd = 2
)

// Clock ids.
const (
	clockRealtime  = 0
	clockMonotonic = 1
	clockProcess   = 2
	clockThread    = 3
)

// Rights. The runner does not restrict by rights (as current runtimes do
// not); it reports them so that guests which inspect them are satisfied.
const (
	rightFdRead  = 1 << 1
	rightFdWrite = 1 << 6
	// writeRights are the rights that ask for a writable descriptor. Go's
	// wasip1 runtime asks for fd_filestat_set_size and fd_datasync on files
	// it opens read-only, so only fd_write counts.
	writeRights = rightFdWrite
	allRights   = 1<<30 - 1
)

// Event and subscription types of poll_oneoff.
const (
	eventClock   = 0
	eventFdRead  = 1
	eventFdWrite = 2

	subclockAbstime = 1

	subscriptionSize = 48
	eventSize        = 32
)

// Struct sizes.
const (
	fdstatSize   = 24
	filestatSize = 64
	direntSize   = 24
	iovecSize    = 8
)
