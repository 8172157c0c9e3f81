/* A minimal assertion helper for ptrc's C unit tests: each CHECK prints
 * what failed; main returns check_result(). */
#ifndef PTRC_TEST_CHECK_H
#define PTRC_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

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

static inline int check_result(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif
