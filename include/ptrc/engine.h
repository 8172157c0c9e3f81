/* The ptrace engine: the tracee table and the event loop. It attaches,
 * follows and detaches; it emits events to a mode and knows nothing of
 * decoding or output. */
#ifndef PTRC_ENGINE_H
#define PTRC_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "ptrc/arch.h"
#include "ptrc/config.h"

struct tracee {
	pid_t tid;
	pid_t tgid;
	enum ptrc_arch arch;

	/* Between a syscall-entry stop and its exit stop. */
	bool in_syscall;
	uint64_t nr;
	uint64_t args[6];
	uint64_t entry_sp;  /* the stack pointer at entry (sigreturn's frame) */
	struct timespec entry_time;  /* when -T, -c or -C ask for it */
	/* The process's system CPU time (wait4's rusage) at the last stop
	 * and at the current syscall's entry, in microseconds: strace's
	 * "system time" for -c. */
	uint64_t stime_us;
	uint64_t entry_stime_us;

	/* -e inject= on the current syscall (engine_tamper_entry), done
	 * and reported at its exit stop: REPLACED: the call was not made (or
	 * another stood in), it returns RVAL; DELAYED: held at entry or
	 * exit; SIGNAL: delivered when the entry stop is resumed. */
	struct {
		bool replaced, delayed;
		int64_t rval;
		uint64_t delay_exit_us;
		int signal;
	} tamper;

	/* Started by `ptrc run`: its syscalls before the first execve are
	 * ptrc's own set-up and are not shown. */
	bool hidden;
	/* Reported as PTRACE_EVENT_STOP for a group-stop: resumed with
	 * PTRACE_LISTEN so that it stays stopped until SIGCONT. */
	bool group_stopped;
	/* Its first stop (attach's interrupt, a new task's start) was seen:
	 * from there on its syscalls stop. */
	bool introduced;
	/* The tracee is in a ptrace-stop that ptrc has not resumed yet. */
	bool stopped;
	/* Seized by attach (its process named, or found by --tree), not
	 * followed from a fork or clone. */
	bool attached;

	/* The extension's state for this tracee (ptrc/engine_ext.h). */
	void *ext;
	/* Followed for the extension's sake only (a child not followed whose
	 * memory the extension must see to): nothing of it reaches the mode,
	 * and it is let go at its execve. */
	bool quiet;

	/* The one-time note about a non-native (32-bit) process was given. */
	bool arch_noted;
	/* engine_stop_process: a signal the tracee was about to receive when
	 * it stopped, re-delivered when it is detached. */
	int held_signal;

	void *mode_data;  /* owned by the mode */
	struct tracee *hash_next;  /* the engine's tracee table */
};

struct engine;

/* What a mode does with the engine's events. Every callback is optional. */
struct mode_ops {
	void (*tracee_added)(void *mode, struct tracee *t);
	void (*syscall_entry)(void *mode, struct tracee *t);
	void (*syscall_exit)(void *mode, struct tracee *t, int64_t rval,
			     bool is_error);
	/* A signal is about to be delivered. Returns the signal to deliver
	 * (normally SI->si_signo; 0 suppresses it). */
	int (*signal)(void *mode, struct tracee *t, const siginfo_t *si);
	void (*group_stop)(void *mode, struct tracee *t, int sig);
	/* After execve: T has taken over the thread-group leader's tid;
	 * FORMER_TID is the tid the exec'ing thread had before. */
	void (*exec)(void *mode, struct tracee *t, pid_t former_tid);
	/* A tracee left: exited or killed (WSTATUS as from waitpid), or was
	 * superseded by another thread's execve (SUPERSEDED_BY != 0). */
	void (*exited)(void *mode, struct tracee *t, int wstatus,
		       pid_t superseded_by);
	/* ptrc let go of T, which runs on (or stays in its group-stop). */
	void (*detached)(void *mode, struct tracee *t);
	void (*tracee_removed)(void *mode, struct tracee *t);
	/* A note for the user (32-bit mode seen, a thread vanished...). */
	void (*note)(void *mode, struct tracee *t, const char *text);
	/* Called when the loop is about to sleep or a flush timer fired. */
	void (*idle)(void *mode);
	/* When set, a signal about to be delivered to T that will kill its
	 * process (its disposition is the default one and that is to
	 * terminate, or the kernel forced it) comes here instead of to
	 * signal(), with every thread of the process stopped: THREADS[0] is
	 * T, threads[i]->stopped says whether the others stopped in time.
	 * Returns the signal to detach T with: SI->si_signo lets the process
	 * die as it would have without ptrc, SIGSTOP leaves it stopped. The
	 * engine then detaches every thread of the process. */
	int (*fatal_signal)(void *mode, struct tracee *t, const siginfo_t *si,
			    struct tracee **threads, size_t nthreads);
};

struct engine *engine_new(const struct ptrc_config *config,
			  const struct mode_ops *ops, void *mode);
void engine_free(struct engine *e);

/* Number of tracees in the table now. */
unsigned engine_tracee_count(const struct engine *e);

/* What a mode asks of a syscall at its entry stop (-e inject=). */
struct syscall_tamper {
	bool replace;      /* not made: NR runs instead (-1: none) and the
			    * call returns RVAL (-errno for an error) */
	long nr;
	int64_t rval;
	int signal;        /* delivered as the entry stop is resumed; 0: none */
	uint64_t delay_enter_us, delay_exit_us;  /* held so long, 0: not */
};

/* At T's syscall-entry stop (from the mode's syscall_entry): change the
 * call as HOW says, through the register tables (ptrc/arch_regs.h). The
 * return value is written at entry too, so that the tracee is consistent
 * even if ptrc lets it go before the exit. Returns 0, or -1 when the
 * registers could not be changed (the call then runs as it was). */
int engine_tamper_entry(struct engine *e, struct tracee *t,
			const struct syscall_tamper *how);

/* Exit statuses of `ptrc` itself, one per kind of failure. */
enum ptrc_exit {
	PTRC_EXIT_OK = 0,
	PTRC_EXIT_USAGE = 64,         /* bad option (EX_USAGE) */
	PTRC_EXIT_NOT_IMPLEMENTED = 69,  /* one of strace's options ptrc lacks (EX_UNAVAILABLE) */
	PTRC_EXIT_NO_PROCESS = 65,    /* no such process */
	PTRC_EXIT_PERMISSION = 66,    /* ptrace refused */
	PTRC_EXIT_ALREADY_TRACED = 67,
	PTRC_EXIT_VANISHED = 68,      /* the process went away during attach */
	PTRC_EXIT_OUTPUT = 73,        /* cannot open/write the output (EX_CANTCREAT) */
	PTRC_EXIT_INTERNAL = 70,      /* EX_SOFTWARE */
	PTRC_EXIT_SETUID = 77,        /* installed setuid/setgid: refused */
	PTRC_EXIT_BAD_CORE = 76,      /* --core: unreadable, not a core, truncated or corrupt */
	PTRC_EXIT_EXEC = 127,         /* ptrc run: command not found/not runnable */
};

/* Seize every thread of PID (re-reading /proc/PID/task until no new one
 * appears) and stop each once so that it is known to the loop. Returns
 * PTRC_EXIT_OK or an exit status, with a one-line message on stderr. */
int engine_attach(struct engine *e, pid_t pid);
/* engine_attach of PID, then of every process below it (attach --tree);
 * only PID's failure is one, a descendant that cannot be seized is left
 * out with a message. */
int engine_attach_tree(struct engine *e, pid_t pid);

/* Start ARGV[0] (found on PATH) under trace. Returns PTRC_EXIT_OK or an
 * exit status with a message printed. */
int engine_spawn(struct engine *e, char *const argv[]);

/* ptrc run: the command's pid (0 before engine_spawn). */
pid_t engine_command_pid(const struct engine *e);

/* Handle stops until every tracee has had its first stop (at most
 * TIMEOUT_MS). Until then a thread may finish a syscall unseen: syscall
 * stops begin with the PTRACE_SYSCALL that resumes that first stop. For
 * --background, which lets the daemon's system() return only after
 * this: its wait4 is then seen returning. */
void engine_settle(struct engine *e, int timeout_ms);

/* Run the event loop until no tracee is left or a stop is requested.
 * Returns the exit status ptrc should exit with: in run mode the traced
 * command's (128+N when killed by signal N). */
int engine_run(struct engine *e);

/* Detach from every tracee now (after a failed attach of a later PID). */
void engine_detach_all(struct engine *e);

/* Stop every traced thread of process TGID: PTRACE_INTERRUPT each, then
 * wait for each one's stop (TIMEOUT_MS in all; threads created meanwhile
 * are stopped too). A signal a thread was about to receive is kept in its
 * held_signal. ALREADY (or NULL) is a thread of TGID in a stop already: it
 * comes first. Sets *THREADS to a malloc'd array of the process's tracees;
 * returns its length (0 with *THREADS NULL when out of memory). */
size_t engine_stop_process(struct engine *e, pid_t tgid, struct tracee *already,
			   unsigned timeout_ms, struct tracee ***threads);

/* Detach every thread of process TGID: FIRST (or NULL) first, with signal
 * SIG, then the others with their held signals. */
void engine_detach_process(struct engine *e, pid_t tgid, struct tracee *first,
			   int sig);

/* Ask the loop to detach from every tracee and return (signal-safe). */
void engine_request_stop(int signo);

/* A message for the user on stderr, as "ptrc: TEXT\n": the engine's, and
 * its extension's. (Notes about a tracee go to the mode: mode_ops.note.) */
void engine_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
