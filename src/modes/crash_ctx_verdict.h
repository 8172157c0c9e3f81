/* The core's destination as one sentence (crash_ctx_verdict.c). */
#ifndef PTRC_MODES_CRASH_CTX_VERDICT_H
#define PTRC_MODES_CRASH_CTX_VERDICT_H

#include <sys/types.h>

#include "crash_context.h"

/* Malloc'd: "file /x/core", "none: RLIMIT_CORE is 0", "piped to ...".
 * CORE is the RLIMIT_CORE in force, SIGNO the fatal signal. */
char *ctx_core_verdict(const struct ctx_core *k, const struct ctx_limit *core,
		       int signo, pid_t pid);

#endif
