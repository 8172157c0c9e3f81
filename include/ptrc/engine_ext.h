/* The engine's one plug-in point: an extension that works on the tracees
 * beside the mode (library-call tracing, -l: src/lcall/tracer.c). The
 * engine calls its hooks at fixed places of the event loop and keeps its
 * per-tracee state in tracee->ext; the extension uses the calls below and
 * reads and writes the tracees' memory and registers itself.
 *
 * A mode registers at most one extension, before engine_spawn or
 * engine_attach. Every hook must be set. */
#ifndef PTRC_ENGINE_EXT_H
#define PTRC_ENGINE_EXT_H

#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>
#include "ptrc/engine.h"

struct engine_ext {
	/* PTRACE_O_* options wanted besides the engine's own (-l: every fork
	 * and vfork, to clean the copy of a child that is not followed). */
	unsigned ptrace_options;
	/* No syscall stops are needed: tracees resume with PTRACE_CONT. */
	bool no_syscall_stops;
	/* Every stop is consumed (none left to the kernel with WNOWAIT), and
	 * after each wait the other ready stops are reaped ahead (wait.c):
	 * threads trapping again and again cannot starve the others. */
	bool reap_ahead;

	/* --- events, in the order of a stop's handling --- */

	/* T's first stop came before its creator's event: return true to hold
	 * T stopped (t->stopped) until on_new_task, which resumes it or lets
	 * it go. */
	bool (*hold_new_task)(void *ext, struct engine *e, struct tracee *t);
	/* A stop of T (not its exit, not an exec), before the engine looks at
	 * it. Returns false to let T go: the engine detaches it (passing on a
	 * signal about to be delivered) and forgets it. */
	bool (*on_stop)(void *ext, struct engine *e, struct tracee *t);
	/* A signal-delivery-stop of SIGTRAP: true when the trap was the
	 * extension's (T is resumed, or gone), false to treat it as any
	 * signal. */
	bool (*on_sigtrap)(void *ext, struct engine *e, struct tracee *t);
	/* PARENT made task CHILD (PTRACE_EVENT_FORK, _VFORK or _CLONE). */
	void (*on_new_task)(void *ext, struct engine *e, struct tracee *parent,
			    struct tracee *child, unsigned event);
	/* T exec'd (it has taken the leader's tid): its memory is new. */
	void (*on_exec)(void *ext, struct engine *e, struct tracee *t);
	/* T is leaving the table: its state in t->ext goes. */
	void (*on_tracee_gone)(void *ext, struct engine *e, struct tracee *t);

	/* --- detaching from every tracee --- */

	/* First: put back every byte the extension changed, in every process. */
	void (*restore)(void *ext, struct engine *e);
	/* T, held by hold_new_task (its creator's event never came), is let
	 * go now. */
	void (*release_held)(void *ext, struct engine *e, struct tracee *t);
	/* T reported a stop other than a signal-delivery-stop: true when a
	 * trap of the extension is pending for it (hit just before the
	 * interrupt); the engine resumes T to take it at its delivery-stop. */
	bool (*trap_pending)(void *ext, struct engine *e, struct tracee *t);
	/* T is detached from a signal-delivery-stop of SIG: returns the signal
	 * to pass on (0 when it was the extension's trap, T rewound). */
	int (*detach_signal)(void *ext, struct engine *e, struct tracee *t,
			     int sig);

	/* engine_free, once the last tracee has gone: free EXT. */
	void (*free)(void *ext);
};

/* Register EXT (with its state DATA, which the engine frees through
 * ext->free). */
void engine_set_ext(struct engine *e, const struct engine_ext *ext, void *data);

/* Resume T from its stop (PTRACE_SYSCALL or PTRACE_CONT, as the mode
 * needs), delivering SIG. */
void engine_resume(struct engine *e, struct tracee *t, int sig);
/* Detach T (stopped), quietly, and forget it. */
void engine_let_go(struct engine *e, struct tracee *t);

/* The engine's one wait step (wait.c): the next wait status of TID (-1:
 * of any tracee) into *STATUS, and its rusage into USAGE (or NULL).
 * Statuses reaped ahead come first; the traced command's exit is recorded
 * for ptrc's exit status. Returns the tid, 0 when nothing is ready
 * (WNOHANG in OPTIONS) or the wait was interrupted by a signal (the tick:
 * callers look at their clocks and stop requests), -1 with errno. */
pid_t engine_wait(struct engine *e, pid_t tid, int options, int *status,
		  struct rusage *usage);
/* Handle a wait status of TID that the extension waited for itself (a
 * thread that ended while it ran it). */
void engine_handle_status(struct engine *e, pid_t tid, int status);

#endif
