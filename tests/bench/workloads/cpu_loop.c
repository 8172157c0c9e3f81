/* cpu_loop N: N steps of about 100 us of arithmetic each, with one
 * getppid() and one 16-byte write to /dev/null per step: mostly CPU, rare
 * syscalls (about 20,000 a second). What a busy daemon looks like to a
 * tracer. */
#include <fcntl.h>
#include <sys/syscall.h>

#include "bench_start.h"

static volatile uint64_t sink;

int main(int argc, char **argv)
{
	unsigned long n = bench_arg(argc, argv, 1, 20000);
	int devnull = open("/dev/null", O_WRONLY);
	if (devnull < 0) {
		perror("cpu_loop: /dev/null");
		return 1;
	}
	uint64_t x = 88172645463325252ull;
	uint64_t start = bench_start();
	for (unsigned long i = 0; i < n; i++) {
		for (int j = 0; j < 50000; j++) {  /* xorshift64 */
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
		}
		sink = x;
		syscall(SYS_getppid);
		if (write(devnull, "cpu_loop step\n", 14) < 0)
			return 1;
	}
	bench_done(start);
	return 0;
}
