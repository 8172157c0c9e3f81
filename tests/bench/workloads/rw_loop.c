/* rw_loop N: N 64-byte writes into a pipe, each read back at once (N
 * writes and N reads). A tracer that decodes buffers reads 64 bytes of
 * tracee memory per call. */
#include "bench_start.h"

int main(int argc, char **argv)
{
	unsigned long n = bench_arg(argc, argv, 1, 200000);
	int fds[2];
	char buf[64], back[64];
	if (pipe(fds) < 0) {
		perror("rw_loop: pipe");
		return 1;
	}
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)('a' + i % 26);
	uint64_t start = bench_start();
	for (unsigned long i = 0; i < n; i++) {
		if (write(fds[1], buf, sizeof buf) != (ssize_t)sizeof buf ||
		    read(fds[0], back, sizeof back) != (ssize_t)sizeof back) {
			perror("rw_loop: write/read");
			return 1;
		}
	}
	bench_done(start);
	return 0;
}
