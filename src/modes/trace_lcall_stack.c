/* -k with -l (see trace_lcall_stack.h). The kept texts of a thread's calls
 * in progress sit back to back in one buffer: calls return in the reverse
 * order of their entries, so a return cuts the buffer back to where its
 * call's text began. */
#include "trace_lcall_stack.h"

#include <stdint.h>
#include <stdlib.h>

#include "stack_k.h"

void trace_lcall_stack_capture(struct trace_mode *m, struct tracee *t,
			       unsigned depth)
{
	if (!m->config->syscall_stacks)
		return;
	struct trace_tracee *ts = trace_state(t);
	if (depth >= ts->call_stack_cap) {
		unsigned cap = depth + 16;
		size_t *grown = realloc(ts->call_stack_at, cap * sizeof *grown);
		if (!grown)
			return;
		for (unsigned i = ts->call_stack_cap; i < cap; i++)
			grown[i] = SIZE_MAX;
		ts->call_stack_at = grown;
		ts->call_stack_cap = cap;
	}
	/* what a call at this depth left without a return (longjmp) and
	 * the deeper ones after it are dropped */
	size_t at = ts->call_stack_at[depth];
	if (at != SIZE_MAX && at <= ts->call_stacks.len)
		ts->call_stacks.len = at;
	ts->call_stack_at[depth] = ts->call_stacks.len;
	/* no syscall stops tell of mapping changes under -l: the maps are
	 * re-read (cheap when they did not change) */
	if (m->config->json)
		stack_k_json(&ts->call_stacks, t, m->config->unwinder, true);
	else
		stack_k_lines(&ts->call_stacks, t, m->config->unwinder, true);
}

size_t trace_lcall_stack_take(struct trace_mode *m, struct tracee *t,
			      unsigned depth, struct strbuf *out)
{
	struct trace_tracee *ts = trace_state(t);
	if (!m->config->syscall_stacks || depth >= ts->call_stack_cap)
		return 0;
	size_t at = ts->call_stack_at[depth];
	ts->call_stack_at[depth] = SIZE_MAX;
	if (at == SIZE_MAX || at > ts->call_stacks.len)
		return 0;
	size_t len = ts->call_stacks.len - at;
	sb_putn(out, ts->call_stacks.data + at, len);
	ts->call_stacks.len = at;
	return len;
}
