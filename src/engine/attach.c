/* Attaching to running processes: seize every thread, then interrupt it so
 * that its first stop introduces it to the loop. */
#include "engine_internal.h"
#include "loop.h"
#include "tracees.h"
#include "ptrc/proc.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

struct tgid_count {
	pid_t tgid;
	unsigned count;
};

static void count_tgid(struct tracee *t, void *arg)
{
	struct tgid_count *c = arg;
	if (t->tgid == c->tgid)
		c->count++;
}

static unsigned tracees_of(struct engine *e, pid_t tgid)
{
	struct tgid_count c = { tgid, 0 };
	table_for_each(&e->table, count_tgid, &c);
	return c.count;
}

/* Explain a failed PTRACE_SEIZE of PID's thread TID; returns the exit status. */
static int seize_error(pid_t pid, pid_t tid, int err)
{
	if (err == ESRCH) {
		engine_warn("process %d went away during attach", pid);
		return PTRC_EXIT_VANISHED;
	}
	if (err == EPERM) {
		pid_t tracer = proc_tracer(tid);
		if (tracer > 0) {
			char comm[64];
			proc_comm(tracer, comm, sizeof comm);
			engine_warn("process %d is already traced by pid %d%s%s%s",
				    pid, tracer, comm[0] ? " (" : "", comm,
				    comm[0] ? ")" : "");
			return PTRC_EXIT_ALREADY_TRACED;
		}
		engine_warn("attach to process %d: permission denied (another "
			    "tracer, a different user, or ptrace restrictions such "
			    "as Yama's ptrace_scope may be the cause)", pid);
		return PTRC_EXIT_PERMISSION;
	}
	engine_warn("attach to process %d: %s", pid, strerror(err));
	return PTRC_EXIT_INTERNAL;
}

/* PTRACE_SEIZE that gives up after 50 ms. It can wait for good: the
 * kernel's ptrace_attach takes the process's cred_guard_mutex, which an
 * execve by another thread holds while it waits (de_thread) for the
 * threads it kills to be reaped, and those already seized are ptrc's to
 * reap. Signals do not help (the call restarts), so the timer's handler
 * jumps out of the call; the caller reaps, and tries again. Returns 0,
 * -1 with errno, or -2 when interrupted. */
static sigjmp_buf seize_jump;
static volatile sig_atomic_t seize_waiting;

static void on_seize_timeout(int signo)
{
	(void)signo;
	if (seize_waiting)
		siglongjmp(seize_jump, 1);
}

static int seize_bounded(pid_t tid, unsigned options)
{
	struct sigaction sa = { .sa_handler = on_seize_timeout }, old_sa;
	sigemptyset(&sa.sa_mask);
	struct itimerval timeout = { { 0, 0 }, { 0, 50000 } }, old_timer;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	sigaction(SIGALRM, &sa, &old_sa);
	setitimer(ITIMER_REAL, &timeout, &old_timer);
	int result, err = 0;
	if (sigsetjmp(seize_jump, 1) == 0) {
		seize_waiting = 1;
		result = (int)ptrace(PTRACE_SEIZE, tid, 0, (void *)(long)options);
		seize_waiting = 0;
		err = errno;
	} else {
		seize_waiting = 0;
		result = -2;
	}
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	if (old_timer.it_value.tv_sec || old_timer.it_value.tv_usec)
		setitimer(ITIMER_REAL, &old_timer, NULL);
	errno = err;
	return result;
}

/* One pass over /proc/PID/task: seize the threads not yet known. Returns
 * how many this pass seized, or -1 with *STATUS set on a fatal error.
 * Threads found already ours (created by a seized thread, so attached
 * through PTRACE_O_TRACECLONE) are added but not counted: only a thread
 * seized now may have created one that no pass has seen yet. Counting
 * them would keep the caller re-reading the list for as long as the
 * process creates threads faster than a pass takes. Threads
 * that are exiting (the leader included) are skipped and counted in
 * *EXITING. */
static int seize_new_threads(struct engine *e, pid_t pid, int *status,
			     int *exiting, int *blocked, int *doubtful,
			     bool strict)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *dir = opendir(path);
	if (!dir) {
		engine_warn("process %d went away during attach", pid);
		*status = PTRC_EXIT_VANISHED;
		return -1;
	}
	int added = 0;
	struct dirent *d;
	while ((d = readdir(dir))) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		pid_t tid = (pid_t)strtol(d->d_name, NULL, 10);
		if (table_find(&e->table, tid))
			continue;
		int seized = seize_bounded(tid, e->ptrace_options);
		if (seized == -2) {
			if (proc_tracer(tid) == getpid()) {
				/* Seized just before the timer fired. */
				engine_add_tracee(e, tid, pid)->attached = true;
				ptrace(PTRACE_INTERRUPT, tid, 0, 0);
				added++;
			} else {
				(*blocked)++;  /* behind an execve: reap, retry */
			}
			continue;
		}
		if (seized < 0) {
			int err = errno;
			if (err == EPERM && proc_tracer(tid) == getpid()) {
				/* A thread created since the listing, already
				 * ours through PTRACE_O_TRACECLONE: its first
				 * stop introduces it. */
				engine_add_tracee(e, tid, pid)->attached = true;
				continue;  /* not counted: see below */
			}
			if (err == ESRCH ||
			    (err == EPERM && proc_tracer(tid) <= 0 &&
			     proc_exiting(tid))) {
				/* The thread exited meanwhile, or is exiting:
				 * killed by another thread's execve (the
				 * leader is a zombie until that execve ends),
				 * or the leader ended alone. */
				(*exiting)++;
				continue;
			}
			if (err == EPERM && proc_tracer(tid) <= 0 && !strict) {
				/* Maybe the zombie leader that an execve's
				 * thread replaced since: its pid is alive
				 * again. Retried; reported if it lasts. */
				(*doubtful)++;
				continue;
			}
			*status = seize_error(pid, tid, err);
			closedir(dir);
			return -1;
		}
		engine_add_tracee(e, tid, pid)->attached = true;
		/* The interrupt stop is what the loop sees first; a thread
		 * that is already in a group-stop reports that instead. */
		ptrace(PTRACE_INTERRUPT, tid, 0, 0);
		added++;
	}
	closedir(dir);
	return added;
}

static void count_held(struct tracee *t, void *arg)
{
	struct tgid_count *c = arg;
	if (t->tgid == c->tgid && proc_tracer(t->tid) == getpid())
		c->count++;
}

/* Is every thread of PID ours? A pass that seized nothing proves nothing
 * alone: the kernel's listing of /proc/PID/task stops early when the
 * thread it stands on is released meanwhile, as an execve releases the
 * threads it kills (the execve'ing thread would then be missed, and take
 * the leader's pid untraced). "Threads:" counts them all, zombies too; a
 * zombie leader that is not ours (pthread_exit: it cannot be seized)
 * counts as held. */
static bool holds_every_thread(struct engine *e, pid_t pid)
{
	unsigned long long threads;
	if (!proc_status_value(pid, "Threads", 10, &threads))
		return true;  /* gone: the caller finds out */
	struct tgid_count held = { pid, 0 };
	table_for_each(&e->table, count_held, &held);
	if (held.count < threads && proc_tracer(pid) != getpid() &&
	    proc_exiting(pid))
		held.count++;
	return held.count >= threads;
}

/* A pass seized nothing, and PID has no tracee: the exit status, or -1 to
 * try again (EXITING threads: an execve may be under way). */
static int nothing_seized(pid_t pid, int exiting, int pass)
{
	char state = proc_state(pid);
	bool zombie = state == 'Z' || state == 'X';
	if (exiting && state != 0 && pass < 2000 &&
	    !(zombie && !proc_other_threads(pid)))
		return -1;
	if (zombie) {
		engine_warn("process %d has exited (a zombie)", pid);
		return PTRC_EXIT_NO_PROCESS;
	}
	if (state == 0 || exiting) {
		engine_warn("process %d went away during attach", pid);
		return PTRC_EXIT_VANISHED;
	}
	return PTRC_EXIT_OK;  /* no thread listed: cannot be */
}

int engine_attach(struct engine *e, pid_t pid)
{
	if (pid <= 0 || kill(pid, 0) < 0) {
		if (pid > 0 && errno == EPERM)
			return seize_error(pid, pid, EPERM);
		engine_warn("no such process: %d", pid);
		return PTRC_EXIT_NO_PROCESS;
	}
	if (proc_tgid(pid) != pid) {
		/* A thread id was given: attach its whole process. */
		pid = proc_tgid(pid);
	}
	pid_t tracer = proc_tracer(pid);
	if (tracer == getpid() && tracees_of(e, pid))
		return PTRC_EXIT_OK;  /* named twice (or by a thread id) */
	if (tracer > 0)
		return seize_error(pid, pid, EPERM);

	int status = PTRC_EXIT_OK;
	/* Threads may be created while we seize: read the list again until
	 * a pass finds nothing new. Threads created by a seized thread are
	 * auto-attached through PTRACE_O_TRACECLONE. A pass that seized
	 * nothing because every thread was exiting is retried (for up to
	 * 2 s): during a non-leader thread's execve the leader is a zombie
	 * and the other threads die, then the process lives on under the
	 * leader's pid. */
	int blocked_passes = 0;
	for (int pass = 0;; pass++) {
		if (engine_stop_pending() && tracees_of(e, pid) > 0)
			return PTRC_EXIT_OK;  /* engine_run detaches them */
		int exiting = 0, blocked = 0, doubtful = 0;
		int added = seize_new_threads(e, pid, &status, &exiting, &blocked,
					      &doubtful, pass >= 20);
		if (added < 0)
			return status;
		if (blocked) {
			/* Reap what the execve waits for. */
			if (++blocked_passes > 200) {
				engine_warn("attach to process %d: PTRACE_SEIZE "
					    "blocked for 10 s", pid);
				return PTRC_EXIT_INTERNAL;
			}
			engine_handle_pending(e);
			continue;
		}
		if (added > 0)
			continue;
		if (doubtful) {
			struct timespec ms = { 0, 1000000 };
			nanosleep(&ms, NULL);
			continue;
		}
		/* A leader seized before another thread's execve vanished in
		 * it, silently: the execve'ing thread took its pid, untraced
		 * unless seized too (then its exec event is still to come). */
		struct tracee *leader = table_find(&e->table, pid);
		if (leader && proc_tracer(pid) != getpid() && proc_state(pid) &&
		    !proc_exiting(pid)) {
			engine_remove_tracee(e, leader);
			continue;
		}
		if (tracees_of(e, pid) > 0) {
			if (holds_every_thread(e, pid) || pass >= 2000)
				return PTRC_EXIT_OK;
		} else {
			int outcome = nothing_seized(pid, exiting, pass);
			if (outcome >= 0)
				return outcome;
		}
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
}
