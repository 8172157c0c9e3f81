/* The engine's side of library-call tracing (-l): breakpoints on function
 * entries and on the return addresses of calls in progress, stepped over
 * out of line so that no breakpoint is ever lifted while threads run.
 * Only engine files include this. */
#ifndef PTRC_LCALL_ENGINE_H
#define PTRC_LCALL_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

struct engine;
struct ptrc_config;
struct tracee;
struct lcall_engine;

/* NULL when -l was not given. Exits with a message on a bad pattern
 * (options.c has checked them already). */
struct lcall_engine *lcall_engine_new(const struct ptrc_config *config);
void lcall_engine_free(struct lcall_engine *lc);

/* A stop of T, traced and shown: hook T's process if that is not done yet
 * (its first stop after attach). */
void lcall_seen(struct engine *e, struct tracee *t);
/* T's process exec'd: its memory is new; hook it again. */
void lcall_exec(struct engine *e, struct tracee *t);
/* A signal-delivery-stop of SIGTRAP (SI, or NULL when not read): when it
 * is a breakpoint of ptrc's (the PC says so: just past an int3 of ptrc's,
 * or on a brk), report the call, step over, resume T and return true. */
bool lcall_trap(struct engine *e, struct tracee *t, const siginfo_t *si);
/* PARENT made task CHILD (PTRACE_EVENT_FORK, _VFORK or _CLONE). */
void lcall_new_task(struct engine *e, struct tracee *parent,
		    struct tracee *child, unsigned event);
/* The first stop of T, a new process, came before its parent's fork
 * event: hold it stopped (returns true) until lcall_new_task. */
bool lcall_hold_new_process(struct engine *e, struct tracee *t);
/* T, a held new process (its parent's fork event never came), is let go
 * while detaching: its copy of the memory gets the original bytes. */
void lcall_release_held(struct engine *e, struct tracee *t);
/* A quiet tracee (a child not followed): does ptrc keep it (a vfork child,
 * sharing hooked memory) or let it go at its first stop? */
bool lcall_keeps(struct engine *e, struct tracee *t);
/* T is leaving the table: its calls in progress will not return. */
void lcall_tracee_gone(struct engine *e, struct tracee *t);
/* Before detaching: put back every byte ptrc changed, in every process. */
void lcall_restore_all(struct engine *e);
/* Is a SIGTRAP pending for T, which is in a stop other than its delivery
 * (a breakpoint hit that an interrupt overtook)? */
bool lcall_trap_pending(struct engine *e, struct tracee *t);
/* A tracee detached from a stop with signal SIG: when the stop is a
 * breakpoint's trap, rewind its PC to the (restored) instruction and
 * return 0; else SIG. */
int lcall_detach_signal(struct engine *e, struct tracee *t, int sig);

#endif
