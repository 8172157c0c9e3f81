/* The engine's wait step (wait.c; engine_wait is public, in
 * ptrc/engine_ext.h) and the tick that bounds each wait. */
#ifndef PTRC_ENGINE_WAIT_H
#define PTRC_ENGINE_WAIT_H

#include <stdbool.h>

/* SIGALRM every 100 ms, without SA_RESTART: a wait is interrupted (and
 * engine_wait returns 0) so that a tracee that never reports cannot hold
 * ptrc, and engine_run flushes the mode's output on it. */
void tick_start(void);
void tick_stop(void);
/* Whether the tick fired since the last call. */
bool tick_fired(void);

#endif
