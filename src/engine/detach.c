/* Detaching from every tracee: at a stop request (SIGINT...), after a
 * failed attach, or when the event loop cannot wait any more. */
#include "engine_internal.h"
#include "detach.h"
#include "tracees.h"
#include "wait.h"
#include "wait_status.h"

#include <stdlib.h>
#include <time.h>

static void interrupt_tracee(struct tracee *t, void *arg)
{
	(void)arg;
	if (!t->stopped)
		ptrace(PTRACE_INTERRUPT, t->tid, 0, 0);
}

struct tid_list {
	pid_t *tids;
	size_t count, cap;
};

static void collect_held(struct tracee *t, void *arg)
{
	struct tid_list *held = arg;
	if (!t->stopped || held->count == held->cap)
		return;
	held->tids[held->count++] = t->tid;
}

/* Tracees held in a stop ptrc has already waited for (a new process held
 * by the extension till its parent's fork event) report nothing more:
 * let them go now. */
static void detach_held(struct engine *e)
{
	struct tid_list held = { NULL, 0, e->table.count };
	held.tids = calloc(held.cap ? held.cap : 1, sizeof *held.tids);
	if (!held.tids)
		return;
	table_for_each(&e->table, collect_held, &held);
	for (size_t i = 0; i < held.count; i++) {
		struct tracee *t = table_find(&e->table, held.tids[i]);
		if (!t)
			continue;
		if (e->ext)
			e->ext->release_held(e->ext_data, e, t);
		engine_let_go(e, t);
	}
	free(held.tids);
}

/* TID reported STATUS during the detach: detach it from that stop. */
static void detach_from(struct engine *e, pid_t tid, int status)
{
	struct tracee *t = table_find(&e->table, tid);
	if (engine_tracee_ended(e, t, status) || !WIFSTOPPED(status))
		return;
	unsigned event = status_event(status);
	int deliver = status_delivery_signal(status);
	if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
	    event == PTRACE_EVENT_CLONE) {
		/* The new task is ours too and will report: wait for it as
		 * well. */
		pid_t child = engine_event_task(e, tid);
		if (child && engine_traced_by_us(child))
			engine_add_tracee(e, child, tid);
	} else if (deliver) {
		if (e->ext && t)
			deliver = e->ext->detach_signal(e->ext_data, e, t,
							deliver);
	} else if (e->ext && t && e->ext->trap_pending(e->ext_data, e, t)) {
		/* It trapped just before the interrupt, whose stop comes
		 * first: let the trap's stop come, where the extension takes
		 * the SIGTRAP away (detach_signal). */
		ptrace(PTRACE_CONT, tid, 0, 0);
		return;
	}
	ptrace(PTRACE_DETACH, tid, 0, (void *)(long)deliver);
	if (t) {
		if (e->ops->detached && !t->quiet)
			e->ops->detached(e->mode, t);
		engine_remove_tracee(e, t);
	}
}

void detach_everything(struct engine *e)
{
	tick_start();
	if (e->ext)
		e->ext->restore(e->ext_data, e);
	table_for_each(&e->table, interrupt_tracee, NULL);
	detach_held(e);
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (e->table.count > 0) {
		int status;
		pid_t tid = engine_wait(e, -1, 0, &status, NULL);
		if (tid < 0)
			break;
		if (tid == 0) {  /* the tick */
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec >= 3)
				break;  /* the kernel detaches the rest as we exit */
			continue;
		}
		detach_from(e, tid, status);
	}
}

void engine_detach_all(struct engine *e)
{
	detach_everything(e);
	tick_stop();
}
