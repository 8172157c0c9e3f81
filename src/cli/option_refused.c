/* strace 6.1's options that ptrc does not implement. An option getopt
 * does not know is looked up here, so that it is refused as "not
 * implemented" (with its own exit status) rather than as a typo, and
 * never taken as something else. An option that gets implemented moves
 * to option_table.c; a stale entry here is then never reached. */
#include "option_refused.h"

#include <string.h>

struct refused_option {
	char short_name;        /* 0: long only */
	const char *long_name;  /* NULL: short only */
	const char *why;        /* what it does in strace */
};

static const struct refused_option refused[] = {
	{ 'd', "debug", "strace's own debug output" },
	{ 'D', "daemonize", "run the tracer as a detached grandchild" },
	{ 0, "daemonized", "run the tracer as a detached grandchild" },
	{ 0, "daemonised", "run the tracer as a detached grandchild" },
	{ 'F', NULL, "deprecated -f" },
	{ 'I', "interruptible", "which signals may interrupt the tracer" },
	{ 'O', "summary-syscall-overhead", "-c's overhead correction" },
	{ 0, "pidns-translation", "PIDs in the tracer's namespace" },
	{ 0, "tips", "strace's tips" },
	{ 0, "kvm", "-e kvm=" },
	{ 0, "secontext", "SELinux contexts" },
};

#define NREFUSED (sizeof refused / sizeof refused[0])

const char *option_refused_short(char c)
{
	for (size_t i = 0; i < NREFUSED; i++)
		if (c && refused[i].short_name == c)
			return refused[i].why;
	return NULL;
}

/* NAME without "--" and without any "=VALUE"; LEN its length. getopt
 * takes unambiguous abbreviations, so a prefix of one name counts. */
const char *option_refused_long(const char *name, size_t len,
				const char **full_name)
{
	const struct refused_option *found = NULL;
	for (size_t i = 0; i < NREFUSED; i++) {
		const char *l = refused[i].long_name;
		if (!l || len == 0 || strncmp(l, name, len) != 0)
			continue;
		if (l[len] == '\0' || !found)
			found = &refused[i];
		if (l[len] == '\0')
			break;
	}
	if (!found)
		return NULL;
	*full_name = found->long_name;
	return found->why;
}
