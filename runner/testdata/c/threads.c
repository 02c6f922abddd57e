// threads.c: wasi-threads scenarios for the runner's tests, built with
// clang-19 and wasi-libc. The libc is single-threaded, so threads use
// write(2) and raw atomics only.
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((import_module("wasi"), import_name("thread-spawn")))
int32_t thread_spawn(void *start_arg);

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
_Noreturn void proc_exit(int32_t code);

struct thread {
	void *stack_top; // read by wasi_thread_start
	int id;
	int fd;          // a descriptor to use
	int result;      // set by the thread
	int done;        // 1 when finished; notified
};

#define STACK 65536
static char stacks[8][STACK] __attribute__((aligned(16)));
static struct thread threads[8];
static const char *mode;
static int forever; // never notified

static void say(const char *s) { write(1, s, strlen(s)); }

static void wait_done(struct thread *t) {
	while (__atomic_load_n(&t->done, __ATOMIC_SEQ_CST) == 0)
		__builtin_wasm_memory_atomic_wait32(&t->done, 0, -1);
}

static void park(void) {
	for (;;)
		__builtin_wasm_memory_atomic_wait32(&forever, 0, -1);
}

void thread_main(int tid, struct thread *t) {
	if (!strcmp(mode, "write-shared-fd")) {
		// The file was opened by the main thread.
		t->result = write(t->fd, "written by a thread\n", 20);
	} else if (!strcmp(mode, "open-in-thread")) {
		t->fd = open("from-thread.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
		t->result = t->fd;
	} else if (!strcmp(mode, "exit-in-thread")) {
		proc_exit(42);
	} else if (!strcmp(mode, "trap-in-thread")) {
		__builtin_trap();
	} else if (!strcmp(mode, "park")) {
		park();
	}
	__atomic_store_n(&t->done, 1, __ATOMIC_SEQ_CST);
	__builtin_wasm_memory_atomic_notify(&t->done, 1);
}

static int spawn(int i) {
	threads[i].stack_top = stacks[i] + STACK;
	return thread_spawn(&threads[i]);
}

int main(int argc, char **argv) {
	if (argc < 2) {
		say("usage: threads MODE\n");
		return 2;
	}
	mode = argv[1];
	if (!strcmp(mode, "write-shared-fd")) {
		threads[0].fd = open("shared.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (threads[0].fd < 0) return 3;
		if (spawn(0) <= 0) return 4;
		wait_done(&threads[0]);
		if (threads[0].result != 20) return 5;
		write(threads[0].fd, "written by main\n", 16);
		close(threads[0].fd);
		say("ok\n");
		return 0;
	}
	if (!strcmp(mode, "open-in-thread")) {
		if (spawn(0) <= 0) return 4;
		wait_done(&threads[0]);
		if (threads[0].result < 0) return 5;
		if (write(threads[0].fd, "opened by a thread, written by main\n", 36) != 36) return 6;
		close(threads[0].fd);
		say("ok\n");
		return 0;
	}
	if (!strcmp(mode, "exit-in-thread") || !strcmp(mode, "trap-in-thread")) {
		if (spawn(0) <= 0) return 4;
		park(); // the thread ends the process
	}
	if (!strcmp(mode, "park")) {
		// Threads wait forever; returning from main ends the process.
		for (int i = 0; i < 3; i++)
			if (spawn(i) <= 0) return 4;
		say("main returns\n");
		return 0;
	}
	if (!strcmp(mode, "tids")) {
		int seen[8];
		for (int i = 0; i < 8; i++) {
			seen[i] = spawn(i);
			if (seen[i] <= 0) return 4;
			for (int j = 0; j < i; j++)
				if (seen[j] == seen[i]) return 5;
		}
		for (int i = 0; i < 8; i++) wait_done(&threads[i]);
		say("ok\n");
		return 0;
	}
	say("unknown mode\n");
	return 2;
}
