/* -e inject= / -e fault= in the trace mode (trace_inject.c). */
#ifndef PTRC_TRACE_INJECT_H
#define PTRC_TRACE_INJECT_H

#include "trace_internal.h"

/* At the entry of a shown syscall of T: inject when the rule says so. */
void trace_inject_entry(struct trace_mode *m, struct tracee *t,
			const struct syscall_call *call);
/* At its exit: " (INJECTED)", " (DELAYED)" as strace marks the line. */
void trace_inject_note(struct strbuf *sb, const struct tracee *t);

#endif
