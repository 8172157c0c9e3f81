/* Holding a whole process still: stop every thread (for a crash report or a
 * stack snapshot), then detach them all.
 *
 * Each thread is interrupted, then waited for by its own tid, so stops of
 * other processes stay queued for the event loop. A thread may report
 * something else than the interrupt first: a signal about to be delivered
 * (kept in held_signal and passed on at detach), a clone event (the new
 * thread is stopped too), its exit (it leaves the table). */
#include "engine_internal.h"
#include "stop_process.h"
#include "tracees.h"
#include "wait_status.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ptrc/names.h"
#include "ptrc/proc.h"

/* SIGKILL is never reported: nothing can stop it. */
static bool default_terminates(int sig)
{
	return sig > 0 && sig <= 64 && sig != SIGKILL &&
	       signal_default_action(sig) >= SIGNAL_TERMINATES;
}

/* A hex mask line of /proc/TID/status ("SigCgt:\t0000000000014002"). */
static bool status_mask(const char *text, const char *field, uint64_t *mask)
{
	const char *p = strstr(text, field);
	if (!p)
		return false;
	p += strlen(field);
	char *end;
	*mask = strtoull(p, &end, 16);
	return end != p;
}

/* At a signal-delivery-stop the kernel has not yet looked at the
 * disposition. A forced fault (SIGSEGV while SIGSEGV is blocked or in its
 * own handler) has already had its handler reset to the default one and
 * been unblocked, so SigCgt/SigIgn say the truth for those too; a blocked
 * signal is never dequeued, so SigBlk does not matter. */
bool signal_kills(pid_t tid, int sig)
{
	if (!default_terminates(sig))
		return false;
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/%d/status", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	uint64_t caught, ignored;
	if (!status_mask(text, "\nSigCgt:", &caught) ||
	    !status_mask(text, "\nSigIgn:", &ignored))
		return false;  /* unknown: let it pass as any signal */
	uint64_t bit = 1ull << (sig - 1);
	return !(caught & bit) && !(ignored & bit);
}

struct tracee_list {
	struct tracee **items;
	size_t count, cap;
	pid_t tgid;
	bool oom;
};

static void list_push(struct tracee_list *l, struct tracee *t)
{
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct tracee **items = realloc(l->items, cap * sizeof *items);
		if (!items) {
			l->oom = true;
			return;
		}
		l->items = items;
		l->cap = cap;
	}
	l->items[l->count++] = t;
}

static void collect(struct tracee *t, void *arg)
{
	struct tracee_list *l = arg;
	if (t->tgid == l->tgid)
		list_push(l, t);
}

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void pause_us(long us)
{
	struct timespec ts = { 0, us * 1000 };
	nanosleep(&ts, NULL);
}

/* Wait for T's next stop (until DEADLINE). Returns false when T is gone
 * (removed from the table and freed) or did not stop in time. */
static bool wait_stop(struct engine *e, struct tracee *t, long long deadline,
		      struct tracee_list *l)
{
	long backoff = 10;
	for (;;) {
		int status;
		pid_t r = engine_wait(e, t->tid, WNOHANG, &status, NULL);
		if (r < 0)
			return false;  /* not our tracee any more */
		if (r == 0) {
			if (now_us() >= deadline)
				return false;
			pause_us(backoff);
			if (backoff < 2000)
				backoff *= 2;
			continue;
		}
		if (status_ended(status)) {
			for (size_t i = 0; i < l->count; i++)
				if (l->items[i] == t)
					l->items[i] = NULL;
			engine_tracee_ended(e, t, status);  /* T is freed */
			return false;
		}
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		unsigned event = status_event(status);
		if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
		    event == PTRACE_EVENT_VFORK) {
			pid_t tid = engine_event_task(e, t->tid);
			if (tid && engine_traced_by_us(tid)) {
				pid_t tgid = event == PTRACE_EVENT_CLONE ?
					proc_tgid(tid) : tid;
				struct tracee *child = engine_add_tracee(e, tid, tgid);
				child->arch = t->arch;
				/* A new thread is stopped with the others; a new
				 * process is left to the event loop. */
				if (tgid == l->tgid)
					list_push(l, child);
			}
		} else if (event == PTRACE_EVENT_STOP) {
			if (is_stop_signal(sig))
				t->group_stopped = true;
		} else {
			t->held_signal = status_delivery_signal(status);
		}
		t->stopped = true;
		return true;
	}
}

size_t engine_stop_process(struct engine *e, pid_t tgid, struct tracee *already,
			   unsigned timeout_ms, struct tracee ***threads)
{
	struct tracee_list l = { .tgid = tgid };
	if (already)
		list_push(&l, already);
	table_for_each(&e->table, collect, &l);
	for (size_t i = 0; i < l.count; i++) {
		struct tracee *t = l.items[i];
		if (t == already && i > 0) {
			l.items[i] = NULL;  /* listed first already */
			continue;
		}
		t->held_signal = 0;
		t->stopped = t == already;
		if (t != already)
			ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
	}
	long long deadline = now_us() + (long long)timeout_ms * 1000;
	/* The list grows while we go when a thread reports a clone. */
	size_t interrupted = l.count;
	for (size_t i = 0; i < l.count; i++) {
		struct tracee *t = l.items[i];
		if (!t || t->stopped)
			continue;
		if (i >= interrupted)  /* a new thread: its first stop may be
					* reported already, an interrupt is harmless */
			ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
		wait_stop(e, t, deadline, &l);
	}
	/* Drop the threads that exited meanwhile. */
	size_t n = 0;
	for (size_t i = 0; i < l.count; i++)
		if (l.items[i])
			l.items[n++] = l.items[i];
	if (l.oom) {
		free(l.items);
		*threads = NULL;
		return 0;
	}
	*threads = l.items;
	return n;
}

/* PTRACE_DETACH failed on a thread that was stopped: only SIGKILL (the
 * process dying of the crash just re-delivered) wakes a tracee from its
 * stop. It stays ours until reaped, and its process cannot end (nor its
 * parent see the wait status) before: reap it. */
static void reap_killed(struct engine *e, struct tracee *t)
{
	long long deadline = now_us() + 2000000;
	long backoff = 10;
	for (;;) {
		int status;
		pid_t r = engine_wait(e, t->tid, WNOHANG, &status, NULL);
		if (r < 0 || (r > 0 && status_ended(status)))
			return;
		if (r > 0)
			continue;  /* a last stop (exit event): the exit follows */
		if (now_us() >= deadline)
			return;
		pause_us(backoff);
		if (backoff < 2000)
			backoff *= 2;
	}
}

static void detach_one(struct engine *e, struct tracee *t, int sig)
{
	if (t->stopped &&
	    ptrace(PTRACE_DETACH, t->tid, 0, (void *)(long)sig) < 0 &&
	    errno == ESRCH)
		reap_killed(e, t);
	/* A thread that did not stop in time stays ours: the loop resumes it
	 * when it reports, or the kernel detaches it when ptrc exits. */
	if (!t->stopped)
		return;
	if (e->ops->detached)
		e->ops->detached(e->mode, t);
	engine_remove_tracee(e, t);
}

void engine_detach_process(struct engine *e, pid_t tgid, struct tracee *first,
			   int sig)
{
	struct tracee_list l = { .tgid = tgid };
	table_for_each(&e->table, collect, &l);
	/* The crashed thread first: its signal is the one the process dies
	 * of, before any signal held for another thread can be delivered. */
	if (first) {
		first->stopped = true;
		detach_one(e, first, sig);
	}
	for (size_t i = 0; i < l.count; i++)
		if (l.items[i] != first)
			detach_one(e, l.items[i], l.items[i]->held_signal);
	free(l.items);
}

void fatal_signal_stop(struct engine *e, struct tracee *t, const siginfo_t *si)
{
	struct tracee **threads = NULL;
	size_t n = engine_stop_process(e, t->tgid, t, 5000, &threads);
	struct tracee *alone[1] = { t };
	int sig = e->ops->fatal_signal(e->mode, t, si, n ? threads : alone,
				       n ? n : 1);
	free(threads);
	engine_detach_process(e, t->tgid, t, sig);
}
