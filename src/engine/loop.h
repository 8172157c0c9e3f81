/* What the event loop (engine.c) offers the attach (attach.c). */
#ifndef PTRC_ENGINE_LOOP_H
#define PTRC_ENGINE_LOOP_H

#include <stdbool.h>

struct engine;

/* Handle the wait statuses already pending (about one per tracee at
 * most), without blocking (when a PTRACE_SEIZE waits on an execve that
 * waits on ptrc). */
void engine_handle_pending(struct engine *e);

/* A stop (SIGINT, SIGTERM, SIGHUP...) was asked for: a long attach gives
 * up, and the loop detaches what it has. */
bool engine_stop_pending(void);

#endif
