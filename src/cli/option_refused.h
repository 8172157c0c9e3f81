/* strace's options that ptrc refuses as not implemented (option_refused.c). */
#ifndef PTRC_CLI_OPTION_REFUSED_H
#define PTRC_CLI_OPTION_REFUSED_H

#include <stddef.h>

/* What strace's option C does, or NULL when strace has no such option
 * or ptrc implements it. */
const char *option_refused_short(char c);
/* The same for a long option NAME (LEN bytes, no "--", no "=VALUE");
 * *FULL_NAME is set to the whole name it abbreviates. */
const char *option_refused_long(const char *name, size_t len,
				const char **full_name);

#endif
