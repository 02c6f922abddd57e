// paths.c: calls WASI path functions directly on the first preopen (fd 3),
// so that the runner sees exactly the paths given, and prints each errno.
// Arguments: OP:PATH[:ARG] ... with OP one of open, create, stat, lstat,
// mkdir, rmdir, unlink, symlink (PATH is the target, ARG the link),
// readlink, rename (to ARG), read (prints the content), opendir-write
// (O_DIRECTORY with fd_write), write-readonly (open for reading, then write),
// link (path_link to ARG), link-follow (path_link with SYMLINK_FOLLOW to
// ARG), open-under (open PATH as a directory, then ARG relative to it).
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#define PREOPEN 3

static void report(const char *op, const char *path, int err) {
	printf("%s %s -> %d\n", op, path, err);
}

int main(int argc, char **argv) {
	for (int i = 1; i < argc; i++) {
		char buf[512];
		strncpy(buf, argv[i], sizeof buf - 1);
		char *op = buf, *path = strchr(buf, ':'), *arg = NULL;
		if (!path) return 2;
		*path++ = 0;
		if ((arg = strchr(path, ':'))) *arg++ = 0;
		__wasi_fd_t fd;
		__wasi_filestat_t st;
		int err;
		if (!strcmp(op, "open") || !strcmp(op, "read")) {
			err = __wasi_path_open(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, 0,
				__WASI_RIGHTS_FD_READ, 0, 0, &fd);
			if (!err && !strcmp(op, "read")) {
				char data[256];
				__wasi_iovec_t iov = {(uint8_t *)data, sizeof data - 1};
				__wasi_size_t n = 0;
				err = __wasi_fd_read(fd, &iov, 1, &n);
				data[n] = 0;
				printf("content %s: %s\n", path, data);
			}
			if (!err) (void)__wasi_fd_close(fd);
		} else if (!strcmp(op, "create")) {
			err = __wasi_path_open(PREOPEN, 0, path, __WASI_OFLAGS_CREAT,
				__WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
			if (!err) (void)__wasi_fd_close(fd);
		} else if (!strcmp(op, "stat")) {
			err = __wasi_path_filestat_get(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, &st);
		} else if (!strcmp(op, "lstat")) {
			err = __wasi_path_filestat_get(PREOPEN, 0, path, &st);
		} else if (!strcmp(op, "mkdir")) {
			err = __wasi_path_create_directory(PREOPEN, path);
		} else if (!strcmp(op, "rmdir")) {
			err = __wasi_path_remove_directory(PREOPEN, path);
		} else if (!strcmp(op, "unlink")) {
			err = __wasi_path_unlink_file(PREOPEN, path);
		} else if (!strcmp(op, "symlink")) {
			err = __wasi_path_symlink(path, PREOPEN, arg ? arg : "");
		} else if (!strcmp(op, "readlink")) {
			char target[256];
			__wasi_size_t n = 0;
			err = __wasi_path_readlink(PREOPEN, path, (uint8_t *)target, sizeof target - 1, &n);
			target[n] = 0;
			if (!err) printf("target %s: %s\n", path, target);
		} else if (!strcmp(op, "rename")) {
			err = __wasi_path_rename(PREOPEN, path, PREOPEN, arg ? arg : "");
		} else if (!strcmp(op, "opendir-write")) {
			err = __wasi_path_open(PREOPEN, 0, path, __WASI_OFLAGS_DIRECTORY,
				__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_WRITE, 0, 0, &fd);
			if (!err) (void)__wasi_fd_close(fd);
		} else if (!strcmp(op, "write-readonly")) {
			err = __wasi_path_open(PREOPEN, 0, path, 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
			if (!err) {
				__wasi_ciovec_t iov = {(const uint8_t *)"x", 1};
				__wasi_size_t n;
				err = __wasi_fd_write(fd, &iov, 1, &n);
				(void)__wasi_fd_close(fd);
			}
		} else if (!strcmp(op, "link")) {
			err = __wasi_path_link(PREOPEN, 0, path, PREOPEN, arg ? arg : "");
		} else if (!strcmp(op, "link-follow")) {
			err = __wasi_path_link(PREOPEN, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, PREOPEN, arg ? arg : "");
		} else if (!strcmp(op, "open-under")) {
			__wasi_fd_t dir;
			err = __wasi_path_open(PREOPEN, 0, path, __WASI_OFLAGS_DIRECTORY, __WASI_RIGHTS_PATH_OPEN, __WASI_RIGHTS_FD_READ, 0, &dir);
			if (!err) {
				err = __wasi_path_open(dir, 0, arg ? arg : "", 0, __WASI_RIGHTS_FD_READ, 0, 0, &fd);
				if (!err) (void)__wasi_fd_close(fd);
				(void)__wasi_fd_close(dir);
			}
		} else {
			return 2;
		}
		report(op, path, err);
	}
	return 0;
}
