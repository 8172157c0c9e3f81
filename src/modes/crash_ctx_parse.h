/* Parsers of the process context's /proc texts and the core_pattern
 * expansion: pure functions of bytes read (hostile, maybe cut short),
 * tested on made-up input by tests/unit/test_crash_context.c. */
#ifndef PTRC_MODES_CRASH_CTX_PARSE_H
#define PTRC_MODES_CRASH_CTX_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ptrc/strbuf.h"

/* The value of the line "KEY:\t..." of TEXT (LEN bytes), up to its newline
 * or the end: *VLEN bytes, and *CUT when no newline ended it. NULL: no
 * such line. */
const char *ctx_field(const char *text, size_t len, const char *key,
		      size_t *vlen, bool *cut);

/* Up to MAX unsigned decimal numbers of V (VLEN bytes) separated by
 * blanks into OUT; the count, or -1 when something else is there. A
 * number cut by the end of V is dropped when CUT. */
long ctx_parse_numbers(const char *v, size_t vlen, bool cut,
		       unsigned long *out, size_t max);

/* "flags:" (octal) and "pos:" (decimal) of a /proc/PID/fdinfo/N text. */
bool ctx_fdinfo_flags(const char *text, size_t len, unsigned long *flags);
bool ctx_fdinfo_pos(const char *text, size_t len, unsigned long long *pos);

/* The soft and hard values of the /proc/PID/limits line whose name is
 * NAME ("Max core file size"); "unlimited" is UINT64_MAX (RLIM_INFINITY). */
bool ctx_limits_line(const char *text, size_t len, const char *name,
		     uint64_t *soft, uint64_t *hard);

/* What the kernel puts for a core_pattern's %-specifiers. A NULL string
 * or a negative number: not known to ptrc, the specifier is left as is. */
struct core_vars {
	long pid, tid;        /* %p %i (in the process's pid namespace), */
	long global_pid, global_tid;  /* %P %I (ptrc's) */
	long uid, gid;        /* %u %g: the real ids */
	int signo;            /* %s */
	long dump_mode;       /* %d */
	const char *comm;     /* %e */
	const char *exe;      /* %E (path, '/' -> '!'), %f (its basename) */
	const char *hostname; /* %h */
	const char *core_limit;  /* %c: the soft RLIMIT_CORE, as the kernel */
	bool uses_pid;        /* /proc/sys/kernel/core_uses_pid */
};

/* Expands a file core_pattern (not a pipe) into SB as the kernel would;
 * false when some specifier could not be (then left as written, "%t"). */
bool ctx_expand_core_pattern(struct strbuf *sb, const char *pattern,
			     const struct core_vars *v);

#endif
