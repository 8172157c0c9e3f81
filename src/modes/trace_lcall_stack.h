/* -k with -l: each library call's stack, as the thread stood at the
 * call's entry (the function itself the first frame), printed after the
 * call's line when it returns (strace's -k layout), or in a "stack" field
 * of its JSON object. */
#ifndef PTRC_MODES_TRACE_LCALL_STACK_H
#define PTRC_MODES_TRACE_LCALL_STACK_H

#include "trace_internal.h"

/* T is at the entry of its call at DEPTH: keep its stack (text, or JSON
 * with --json). Nothing without -k. */
void trace_lcall_stack_capture(struct trace_mode *m, struct tracee *t,
			       unsigned depth);
/* The call at DEPTH returned (or was left): append what was kept for it
 * to OUT (nothing when nothing was) and forget it. Returns its length. */
size_t trace_lcall_stack_take(struct trace_mode *m, struct tracee *t,
			      unsigned depth, struct strbuf *out);

#endif
