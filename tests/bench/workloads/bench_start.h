/* Start and stop of a benchmark workload.
 *
 * With BENCH_WAIT=1 in the environment the workload prints "ready" on
 * stdout and waits for one byte on stdin before it starts: run.py attaches
 * a tracer meanwhile, then releases it. Either way, the workload prints
 * "bench_elapsed_ns=N" on stdout at the end: the time of its own work,
 * from the release to the last thread joined. This is the figure run.py
 * compares: it leaves out tracer start-up and attach, so that `run` and
 * `attach` are measured on the same work. */
#ifndef BENCH_START_H
#define BENCH_START_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Returns the start time. */
static inline uint64_t bench_start(void)
{
	const char *wait = getenv("BENCH_WAIT");
	if (wait && !strcmp(wait, "1")) {
		char byte;
		fputs("ready\n", stdout);
		fflush(stdout);
		if (read(0, &byte, 1) != 1) {
			fputs("bench: no start byte on stdin\n", stderr);
			exit(2);
		}
	}
	return bench_now_ns();
}

static inline void bench_done(uint64_t start)
{
	printf("bench_elapsed_ns=%llu\n",
	       (unsigned long long)(bench_now_ns() - start));
	fflush(stdout);
}

static inline unsigned long bench_arg(int argc, char **argv, int i,
				      unsigned long dflt)
{
	if (argc <= i)
		return dflt;
	char *end;
	unsigned long v = strtoul(argv[i], &end, 10);
	if (*end || !*argv[i]) {
		fprintf(stderr, "bench: bad number '%s'\n", argv[i]);
		exit(2);
	}
	return v;
}

#endif
