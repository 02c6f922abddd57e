// badargs.c: raw WASI calls with hostile counts and pointers, for the
// runner's hardening tests. Each call must come back with an errno, never
// end the run; the program prints "NAME ERRNO" per call and exits 0.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define WASI(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(#name)))

WASI(fd_write) int32_t raw_fd_write(int32_t fd, int32_t iovs, int32_t n, int32_t nwritten);
WASI(fd_read) int32_t raw_fd_read(int32_t fd, int32_t iovs, int32_t n, int32_t nread);
WASI(fd_pread) int32_t raw_fd_pread(int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nread);
WASI(fd_pwrite) int32_t raw_fd_pwrite(int32_t fd, int32_t iovs, int32_t n, int64_t off, int32_t nwritten);
WASI(poll_oneoff) int32_t raw_poll_oneoff(int32_t in, int32_t out, int32_t n, int32_t nevents);
WASI(path_open) int32_t raw_path_open(int32_t fd, int32_t dirflags, int32_t path, int32_t path_len,
	int32_t oflags, int64_t rights, int64_t inheriting, int32_t fdflags, int32_t fd_ptr);
WASI(random_get) int32_t raw_random_get(int32_t buf, int32_t len);
WASI(args_get) int32_t raw_args_get(int32_t argv, int32_t buf);

static uint32_t iov[2];
static uint8_t big[64];
static uint32_t result;

int main(void) {
	iov[0] = (uint32_t)(uintptr_t)big;
	iov[1] = sizeof big;
	int32_t p = (int32_t)(uintptr_t)iov, r = (int32_t)(uintptr_t)&result;
	printf("fd_write %d\n", raw_fd_write(1, p, 0x20000000, r));
	printf("fd_read %d\n", raw_fd_read(0, p, 0x20000000, r));
	printf("fd_pread %d\n", raw_fd_pread(3, p, 0x20000000, 0, r));
	printf("fd_pwrite %d\n", raw_fd_pwrite(3, p, 0x20000000, 0, r));
	printf("fd_write_wrap %d\n", raw_fd_write(1, -8, 2, r));
	printf("poll_oneoff %d\n", raw_poll_oneoff((int32_t)(uintptr_t)big, (int32_t)(uintptr_t)big, 0x5555556, r));
	printf("poll_oneoff_out %d\n", raw_poll_oneoff((int32_t)(uintptr_t)big, -16, 1, r));
	printf("path_open_len %d\n", raw_path_open(3, 0, (int32_t)(uintptr_t)big, 0x7fffffff, 0, 0, 0, 0, r));
	printf("random_get %d\n", raw_random_get(-4, 8));
	printf("args_get %d\n", raw_args_get(-4, 0));
	return 0;
}
