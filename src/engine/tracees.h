/* A tracee's life in the engine (tracees.c): added, resumed, ended, let
 * go, removed. engine_resume and engine_let_go are public
 * (ptrc/engine_ext.h). */
#ifndef PTRC_ENGINE_TRACEES_H
#define PTRC_ENGINE_TRACEES_H

#include <stdbool.h>
#include <sys/types.h>

struct engine;
struct tracee;

struct tracee *engine_add_tracee(struct engine *e, pid_t tid, pid_t tgid);
void engine_remove_tracee(struct engine *e, struct tracee *t);
/* When WSTATUS says T exited or was killed, the mode hears of it (unless
 * T is quiet) and T leaves the table; T NULL: not a tracee (any more).
 * Returns whether WSTATUS was such an end. */
bool engine_tracee_ended(struct engine *e, struct tracee *t, int wstatus);
/* The task a fork, vfork or clone event of TID made, when it is not in
 * the table yet; 0 when it is, or cannot be read. */
pid_t engine_event_task(struct engine *e, pid_t tid);
/* Is TID a tracee of ours? A task created by a tracee may have lived and
 * died (reported and reaped) before its creation event is handled, and
 * its tid may name another task by then (pids wrap). */
bool engine_traced_by_us(pid_t tid);

#endif
