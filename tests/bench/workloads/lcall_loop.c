/* lcall_loop N: N calls of lcfix_add() in liblcbench.so, through the PLT,
 * checking each result: the library-call workload of tests/bench/run.py
 * (scenario 7), measured native, under `ltrace -e lcfix_add` and under
 * `ptrc run -l lcfix_add`. Exits 1 on a wrong result. */
#include "bench_start.h"

int lcfix_add(int a, int b);

int main(int argc, char **argv)
{
	unsigned long n = bench_arg(argc, argv, 1, 200000);
	unsigned long wrong = 0;
	uint64_t start = bench_start();
	for (unsigned long i = 0; i < n; i++) {
		int a = (int)(i & 0xffff);
		if (lcfix_add(a, 1) != a + 1)
			wrong++;
	}
	bench_done(start);
	if (wrong) {
		fprintf(stderr, "lcall_loop: %lu wrong results\n", wrong);
		return 1;
	}
	return 0;
}
