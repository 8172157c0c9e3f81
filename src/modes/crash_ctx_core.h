/* Where the kernel writes the core when the fatal signal is delivered:
 * core_pattern expanded, RLIMIT_CORE, the dumpable flag. */
#ifndef PTRC_MODES_CRASH_CTX_CORE_H
#define PTRC_MODES_CRASH_CTX_CORE_H

#include <sys/types.h>

#include "crash_context.h"

/* Fills C->core; C's ids, limits, cwd and root are read before. */
void ctx_collect_core(struct crash_context *c, pid_t pid, pid_t tid,
		      int signo, const char *comm);
void ctx_free_core(struct ctx_core *core);

#endif
