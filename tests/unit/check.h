/* A minimal assertion helper for ptrc's C unit tests: each CHECK prints
 * what failed; main returns check_result(). */
#ifndef PTRC_TEST_CHECK_H
#define PTRC_TEST_CHECK_H

#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do { \
	check_count++; \
	if (!(cond)) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define CHECK_STR(got, want) do { \
	const char *got_ = (got), *want_ = (want); \
	check_count++; \
	if (!got_ || strcmp(got_, want_) != 0) { \
		check_failures++; \
		fprintf(stderr, "%s:%d: got   [%s]\n%*s  want  [%s]\n", __FILE__, \
			__LINE__, got_ ? got_ : "(null)", (int)strlen(__FILE__) + 6, "", want_); \
	} \
} while (0)

/* A stopped copy of this process, for tests that read tracee memory: the
 * same addresses hold the bytes ours held at the fork. Kill it with
 * SIGKILL and reap it with waitpid(..., __WALL) at the end. */
static inline pid_t check_stopped_copy(void)
{
	pid_t child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	CHECK(ptrace(PTRACE_SEIZE, child, 0, 0) == 0);
	CHECK(ptrace(PTRACE_INTERRUPT, child, 0, 0) == 0);
	int status;
	CHECK(waitpid(child, &status, __WALL) == child);
	return child;
}

static inline int check_result(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
