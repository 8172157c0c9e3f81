/* ptrc attach --tree: a process and every process below it, as they stand.
 * Top down: a parent is seized before its children are listed, so that a
 * child it forks meanwhile is either listed or (with -f) followed through
 * the fork event; without -f, processes started later are not traced. */
#include "engine_internal.h"
#include "loop.h"

#include <stdlib.h>
#include <unistd.h>

#include "ptrc/proc.h"

struct pid_queue {
	pid_t *items;
	size_t head, count, cap;
};

static bool queue_push(struct pid_queue *q, pid_t pid)
{
	if (q->count == q->cap) {
		size_t grown = q->cap ? q->cap * 2 : 64;
		pid_t *p = realloc(q->items, grown * sizeof *p);
		if (!p)
			return false;
		q->items = p;
		q->cap = grown;
	}
	q->items[q->count++] = pid;
	return true;
}

/* A child of a process of the tree: seized in turn, unless it is ptrc
 * itself or ours already (followed through its fork). A child that cannot
 * be seized (gone, or traced by another tracer such as a debugger_command's
 * ptrc) is left out with engine_attach's message, its own children not. */
static void attach_child(struct engine *e, struct pid_queue *q, pid_t child)
{
	if (child == getpid())
		return;
	if (proc_tracer(child) != getpid())
		engine_attach(e, child);
	queue_push(q, child);
}

int engine_attach_tree(struct engine *e, pid_t root)
{
	int status = engine_attach(e, root);
	if (status != PTRC_EXIT_OK)
		return status;
	struct pid_queue q = { 0 };
	if (!queue_push(&q, proc_tgid(root) > 0 ? proc_tgid(root) : root)) {
		engine_warn("attach --tree: out of memory");
		return PTRC_EXIT_INTERNAL;
	}
	while (q.head < q.count && !engine_stop_pending()) {
		pid_t *children;
		size_t n = proc_children(q.items[q.head++], &children);
		for (size_t i = 0; i < n && !engine_stop_pending(); i++)
			attach_child(e, &q, children[i]);
		free(children);
	}
	free(q.items);
	return PTRC_EXIT_OK;
}
