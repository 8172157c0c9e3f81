/* The engine's one wait step: the next wait status, of any tracee or of
 * one. Everything that waits for a tracee goes through engine_wait, which
 * hands out the statuses reaped ahead first, turns EINTR into "nothing
 * yet", and records the traced command's exit (ptrc's exit status). */
#include "engine_internal.h"
#include "wait.h"
#include "wait_status.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t tick_due;
static bool tick_running;
static volatile sig_atomic_t tick_handler_set;

static void on_alarm(int signo)
{
	(void)signo;
	tick_due = 1;
}

void tick_start(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };  /* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	tick_handler_set = 1;
	struct itimerval tick = { { 0, 100000 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &tick, NULL);
	tick_running = true;
}

void tick_ensure(void)
{
	if (!tick_running)
		tick_start();
}

void tick_wake_soon(void)
{
	if (!tick_handler_set)
		return;
	struct itimerval once = { { 0, 0 }, { 0, 100000 } };
	setitimer(ITIMER_REAL, &once, NULL);
}

void tick_stop(void)
{
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	tick_running = false;
}

bool tick_fired(void)
{
	if (!tick_due)
		return false;
	tick_due = 0;
	return true;
}

/* A status reaped ahead: TID's (-1: the oldest), or 0 when none. */
static pid_t take_reaped(struct engine *e, pid_t tid, int *status,
			 struct rusage *usage)
{
	pid_t got = 0;
	for (size_t i = e->reaped_next; i < e->nreaped && !got; i++) {
		struct reaped r = e->reaped[i];
		if (tid != -1 && r.tid != tid)
			continue;
		if (i == e->reaped_next) {
			e->reaped_next++;
		} else {
			memmove(&e->reaped[i], &e->reaped[i + 1],
				(e->nreaped - i - 1) * sizeof r);
			e->nreaped--;
		}
		*status = r.status;
		if (usage)
			*usage = r.usage;
		got = r.tid;
	}
	if (e->reaped_next == e->nreaped)
		e->nreaped = e->reaped_next = 0;
	return got;
}

/* The traced command's end gives ptrc's exit status. */
static void note_command_exit(struct engine *e, pid_t tid, int status)
{
	if (tid == e->run_child && status_ended(status)) {
		e->run_wstatus = status;
		e->run_done = true;
	}
}

/* Reap ahead every other status that is ready (engine_ext.reap_ahead).
 * wait4(-1) reports the first stopped tracee in the kernel's list (the
 * last attached first): where threads trap again and again (an
 * extension's traps), two that trap again before ptrc waits can keep
 * every other thread stopped, unreported, for good. So after each wait
 * every other stop that is ready is reaped too, and all are handled in
 * turn. */
static void reap_ready(struct engine *e, bool want_usage)
{
	for (;;) {
		if (e->nreaped == e->reaped_cap) {
			size_t cap = e->reaped_cap ? e->reaped_cap * 2 : 16;
			struct reaped *grown = realloc(e->reaped, cap * sizeof *grown);
			if (!grown)
				return;  /* reported later by the kernel */
			e->reaped = grown;
			e->reaped_cap = cap;
		}
		struct reaped *r = &e->reaped[e->nreaped];
		r->tid = wait4(-1, &r->status, __WALL | WNOHANG,
			       want_usage ? &r->usage : NULL);
		if (r->tid <= 0)
			return;
		note_command_exit(e, r->tid, r->status);
		e->nreaped++;
	}
}

/* wait4(-1, OPTIONS), except that the stops handle_status resumes on the
 * spot (signal-delivery, syscall and seccomp stops) are only looked at
 * (waitid's WNOWAIT), not consumed. Waiting for a signal-delivery-stop
 * makes the kernel forget its signal: if ptrc were killed (SIGKILL)
 * before resuming the tracee, it would run on without the signal. Left
 * unconsumed, the signal is delivered when the kernel detaches. A stop
 * that is resumed is no longer reported, so leaving it costs nothing:
 * one waitid per stop, as wait4 was. Events and exits are consumed (a
 * new task's first stop may be held). */
static pid_t peek_any(int *status, int options, struct rusage *usage)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	if (syscall(SYS_waitid, P_ALL, 0, &si,
		    WEXITED | WSTOPPED | __WALL | WNOWAIT | options, usage) < 0)
		return -1;
	if (si.si_pid == 0)
		return 0;  /* WNOHANG: nothing ready */
	/* For ptrace stops si_status is the whole stop code: signal,
	 * 0x80 of syscall stops, event << 8. */
	int code = si.si_status;
	bool resumed_on_the_spot = (code >> 8) == 0 ||
				   (code >> 8) == PTRACE_EVENT_SECCOMP;
	if (si.si_code == CLD_TRAPPED && resumed_on_the_spot) {
		*status = (code << 8) | 0x7f;
		return si.si_pid;
	}
	return wait4(si.si_pid, status, __WALL | options, usage);
}

pid_t engine_wait(struct engine *e, pid_t tid, int options, int *status,
		  struct rusage *usage)
{
	pid_t got = take_reaped(e, tid, status, usage);
	if (got)
		return got;
	/* With reap_ahead every stop is consumed: stops reaped ahead wait
	 * their turn (a ptrc killed with an extension's traps in place
	 * leaves them behind anyway). A wait for one tracee consumes its
	 * status too. */
	bool reap_ahead = e->ext && e->ext->reap_ahead;
	if (tid == -1 && !reap_ahead)
		got = peek_any(status, options, usage);
	else
		got = wait4(tid, status, __WALL | options, usage);
	if (got < 0 && errno == EINTR)
		return 0;
	if (got <= 0)
		return got;
	note_command_exit(e, got, *status);
	if (tid == -1 && reap_ahead && !(options & WNOHANG))
		reap_ready(e, usage != NULL);
	return got;
}
