/* State shared by the engine's files (attach, spawn, loop). */
#ifndef PTRC_ENGINE_INTERNAL_H
#define PTRC_ENGINE_INTERNAL_H

#include <sys/resource.h>

#include "ptrc/engine.h"
#include "tracee_table.h"

/* A wait status taken ahead of its turn. */
struct reaped {
	pid_t tid;
	int status;
	struct rusage usage;
};

struct engine {
	const struct ptrc_config *config;
	const struct mode_ops *ops;
	void *mode;
	struct tracee_table table;
	unsigned ptrace_options;

	/* ptrc run -e trace=: the child runs under a seccomp filter that
	 * stops only the traced syscalls (seccomp.c). */
	bool use_seccomp;
	/* Syscall stops are read from the registers (arch_regs.h): the
	 * kernel has no PTRACE_GET_SYSCALL_INFO (EIO at the first stop), or
	 * PTRC_NO_SYSCALL_INFO=1 asks for it (tests). */
	bool no_syscall_info;

	/* -l: library calls (lc_calls.c); NULL without. */
	struct lcall_engine *lcall;
	/* -l: stops reaped ahead of their turn (engine.c, reap_ready). */
	struct reaped *reaped;
	size_t nreaped, reaped_next, reaped_cap;

	pid_t run_child;     /* ptrc run: the command's pid */
	int run_wstatus;     /* its wait status, once it has gone */
	bool run_done;
};

struct tracee *engine_add_tracee(struct engine *e, pid_t tid, pid_t tgid);
/* Is TID a tracee of ours? A task created by a tracee may have lived and
 * died (reported and reaped) before its creation event is handled, and
 * its tid may name another task by then (pids wrap). */
bool engine_traced_by_us(pid_t tid);
void engine_remove_tracee(struct engine *e, struct tracee *t);

/* Resume T from its stop (PTRACE_SYSCALL or PTRACE_CONT, as the mode
 * needs), delivering SIG. */
void engine_resume(struct engine *e, struct tracee *t, int sig);
/* Process a wait status of TID that someone else waited for. */
void engine_status(struct engine *e, pid_t tid, int status);
/* Detach T (stopped), quietly, and forget it. */
void engine_let_go(struct engine *e, struct tracee *t);

/* Handle the wait statuses already pending (about one per tracee at
 * most), without blocking (attach.c, when a PTRACE_SEIZE waits on an
 * execve that waits on ptrc). */
void engine_handle_pending(struct engine *e);

/* A stop (SIGINT, SIGTERM, SIGHUP...) was asked for: a long attach gives
 * up, and the loop detaches what it has. */
bool engine_stop_pending(void);

/* stop_process.c: whether SIG, in TID's signal-delivery-stop, will kill
 * the process (default disposition that terminates), and the crash event:
 * stop the process, let the mode report, detach. */
bool signal_kills(pid_t tid, int sig);
void fatal_signal_stop(struct engine *e, struct tracee *t, const siginfo_t *si);

/* seccomp.c: the filter for the traced set, built in ptrc and installed by
 * the child right before execve. */
struct sock_fprog;
int seccomp_filter_build(const struct ptrc_config *config,
			 struct sock_fprog *prog);
int seccomp_filter_install(const struct sock_fprog *prog);

#endif
