/* The crash event's side of stop_process.c (engine_stop_process and
 * engine_detach_process are public, in ptrc/engine.h). */
#ifndef PTRC_ENGINE_STOP_PROCESS_H
#define PTRC_ENGINE_STOP_PROCESS_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct engine;
struct tracee;

/* Whether SIG, in TID's signal-delivery-stop, will kill the process
 * (default disposition that terminates). */
bool signal_kills(pid_t tid, int sig);
/* The crash event: stop T's process, let the mode report, detach. */
void fatal_signal_stop(struct engine *e, struct tracee *t, const siginfo_t *si);

#endif
