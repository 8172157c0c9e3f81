/* The crash report's open descriptors: each decoded as -yy decodes it,
 * with its flags and (regular files) position from /proc/PID/fdinfo. */
#ifndef PTRC_MODES_CRASH_CTX_FDS_H
#define PTRC_MODES_CRASH_CTX_FDS_H

#include <sys/types.h>

#include "crash_context.h"

/* Fills C's fds, nfds, fds_total and fds_listed. */
void ctx_collect_fds(struct crash_context *c, pid_t pid);
void ctx_free_fds(struct crash_context *c);

#endif
