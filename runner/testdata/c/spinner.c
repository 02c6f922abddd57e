// spinner.c: a wasi-threads program with a thread that computes forever
// without calling the host, for the runner's tests of what such a thread
// may not stall: the end of the run, the garbage collector, other requests.
//
//   spinner return   spawn the spinner, churn the host's heap, return 0
//   spinner exit     the same, then proc_exit(7)
//   spinner main     spin on the main thread itself (no thread)
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

__attribute__((import_module("wasi"), import_name("thread-spawn")))
int32_t thread_spawn(void *start_arg);

__attribute__((import_module("wasi_snapshot_preview1"), import_name("proc_exit")))
_Noreturn void proc_exit(int32_t code);

struct thread {
	void *stack_top; // read by wasi_thread_start
	int started;
};

static char stack[65536] __attribute__((aligned(16)));
static struct thread spinner;
static volatile uint64_t counter;

static void spin(void) {
	for (;;)
		counter++;
}

void thread_main(int tid, struct thread *t) {
	__atomic_store_n(&t->started, 1, __ATOMIC_SEQ_CST);
	spin();
}

// churn makes the host allocate: enough to start the Go collector many
// times over, which a spinning thread would then hold up.
static void churn(void) {
	for (int i = 0; i < 20000; i++) {
		int fd = open("churn.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
		if (fd >= 0) close(fd);
	}
}

int main(int argc, char **argv) {
	const char *mode = argc > 1 ? argv[1] : "return";
	if (!strcmp(mode, "main")) spin();
	spinner.stack_top = stack + sizeof stack;
	if (thread_spawn(&spinner) <= 0) return 4;
	while (!__atomic_load_n(&spinner.started, __ATOMIC_SEQ_CST))
		;
	churn();
	write(1, "main is done\n", 13);
	if (!strcmp(mode, "exit")) proc_exit(7);
	return 0;
}
