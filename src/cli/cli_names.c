/* Signal and errno names as the -e expressions take them (strace accepts
 * any case and an optional "SIG"), and the message for a bad word. */
#include "cli_names.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ptrc/names.h"

/* A decimal number of 1..MAX, the whole word; -1 otherwise. */
static long whole_number(const char *word, long max)
{
	if (*word < '0' || *word > '9')
		return -1;
	char *end;
	long n = strtol(word, &end, 10);
	return *end || n < 1 || n > max ? -1 : n;
}

int cli_signal_number(const char *word)
{
	if (*word >= '0' && *word <= '9') {
		/* strace takes any number up to 255 (0 too) */
		char *end;
		long n = strtol(word, &end, 10);
		return *end || n > 255 ? -1 : (int)n;
	}
	if (!strncasecmp(word, "SIG", 3))
		word += 3;
	for (int sig = 1; sig <= 64; sig++) {
		char buf[16];  /* real-time ones too: SIGRTMIN, SIGRT_1... */
		const char *name = signal_name_buf(sig, buf);
		if (!strncmp(name, "SIG", 3) && !strcasecmp(name + 3, word))
			return sig;
	}
	return -1;
}

int cli_errno_number(const char *word)
{
	if (*word >= '0' && *word <= '9')
		return (int)whole_number(word, 4095);
	for (int err = 1; err <= 4095; err++) {
		const char *name = errno_name(err);
		if (name && !strcasecmp(name, word))
			return err;
	}
	return -1;
}

int cli_invalid(const char *what, const char *item)
{
	fprintf(stderr, "ptrc: invalid %s '%s' (see ptrc --help)\n", what, item);
	return -1;
}
