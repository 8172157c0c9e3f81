/* getppid_loop N [THREADS]: N getppid() calls in all, split evenly across
 * THREADS threads (default 1: the main thread alone). The most
 * syscall-heavy load there is: each call costs the kernel almost nothing,
 * so a tracer's cost per stop is all that shows. */
#include <pthread.h>
#include <sys/syscall.h>

#include "bench_start.h"

static unsigned long per_thread;

static void *loop(void *arg)
{
	(void)arg;
	for (unsigned long i = 0; i < per_thread; i++)
		syscall(SYS_getppid);
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long n = bench_arg(argc, argv, 1, 200000);
	unsigned long nthreads = bench_arg(argc, argv, 2, 1);
	if (nthreads < 1 || nthreads > 4096) {
		fputs("getppid_loop: THREADS must be 1..4096\n", stderr);
		return 2;
	}
	per_thread = n / nthreads;
	uint64_t start = bench_start();
	if (nthreads == 1) {
		loop(NULL);
	} else {
		pthread_t *threads = calloc(nthreads, sizeof *threads);
		if (!threads)
			return 1;
		for (unsigned long i = 0; i < nthreads; i++)
			if (pthread_create(&threads[i], NULL, loop, NULL)) {
				fputs("getppid_loop: pthread_create failed\n", stderr);
				return 1;
			}
		for (unsigned long i = 0; i < nthreads; i++)
			pthread_join(threads[i], NULL);
		free(threads);
	}
	bench_done(start);
	return 0;
}
