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
/* tick_start unless the tick runs already. */
void tick_ensure(void);
/* Safe in a signal handler: one SIGALRM within 0.1 s (once the tick's
 * handler is installed), so that a wait that was about to block when a
 * stop was requested returns while no tick runs. */
void tick_wake_soon(void);
/* Whether the tick fired since the last call. */
bool tick_fired(void);

#endif
