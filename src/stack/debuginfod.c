/* Bounds on libdw's debuginfod queries (see stack_bound_debuginfod in
 * ptrc/stack.h). */
#include <dlfcn.h>
#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "ptrc/stack.h"

/* debuginfod. libdw asks it (when DEBUGINFOD_URLS is set) for each module
 * without local debug info, while ptrc holds the tracee stopped; and
 * DEBUGINFOD_TIMEOUT does not bound the connection phase: a server that
 * accepts no connection (a full backlog, dropped packets) holds each query
 * for curl's connect timeout, minutes. So a progress callback cancels a
 * query that has received nothing new for DEBUGINFOD_STALL_SECONDS, and
 * then unsets DEBUGINFOD_URLS, which libdebuginfod reads at every query:
 * one unresponsive server costs a few seconds once, not per module. The
 * functions come from the libdebuginfod that libdw loaded itself (no link
 * dependency; without it there are no queries to bound). */
#define DEBUGINFOD_STALL_SECONDS 5

typedef int (*progress_fn)(debuginfod_client *c, long a, long b);
static void (*set_progressfn)(debuginfod_client *c, progress_fn fn);

/* The query in progress. libdebuginfod 0.188 calls the progress function
 * about once a second; until a server answers (B, the size, is 0) A counts
 * those calls, from 1 for each query; then A is the bytes received. */
static struct {
	bool answered;
	long a;
	struct timespec since;  /* the query's start, or A's last change */
} query;

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	       (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static int debuginfod_progress(debuginfod_client *c, long a, long b)
{
	(void)c;
	bool answered = b > 0;
	bool restart = answered ? !query.answered || a != query.a
		: query.answered || a <= 1 || a <= query.a;
	query.answered = answered;
	query.a = a;
	if (restart) {
		clock_gettime(CLOCK_MONOTONIC, &query.since);
		return 0;
	}
	if (seconds_since(&query.since) < DEBUGINFOD_STALL_SECONDS)
		return 0;
	unsetenv("DEBUGINFOD_URLS");
	return 1;
}

void stack_bound_debuginfod(Dwfl *dwfl)
{
	static bool looked;
	if (!getenv("DEBUGINFOD_URLS"))
		return;
	/* libdw loads libdebuginfod with the first client. */
	debuginfod_client *c = dwfl_get_debuginfod_client(dwfl);
	if (!c)
		return;
	if (!looked) {
		looked = true;
		void *lib = dlopen("libdebuginfod.so.1", RTLD_LAZY | RTLD_NOLOAD);
		if (lib) {
			set_progressfn = (void (*)(debuginfod_client *,
					progress_fn))dlsym(lib,
					"debuginfod_set_progressfn");
		}
	}
	if (set_progressfn)
		set_progressfn(c, debuginfod_progress);
}
