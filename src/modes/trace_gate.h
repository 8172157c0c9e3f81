/* The trace mode's plug-in point for filters that follow state across
 * calls: a gate says, per event, whether its line is written at all, and
 * is told of every syscall (shown or not) to keep its state. trace.c asks
 * it before anything is formatted, so a line it drops costs no decoding.
 * One gate at most, chosen at start: --peer's (trace_peer.c). */
#ifndef PTRC_TRACE_GATE_H
#define PTRC_TRACE_GATE_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/decode.h"
#include "ptrc/engine.h"

enum trace_gate_verdict {
	GATE_SHOW,     /* the line is written from the entry, as usual */
	GATE_DROP,     /* nothing of the call is written */
	GATE_AT_EXIT,  /* decided at the exit (gate_exit): nothing is
			* formatted until then */
};

struct trace_gate {
	/* T entered CALL (every syscall stop, shown by the filters or not). */
	enum trace_gate_verdict (*syscall_entry)(void *gate, struct tracee *t,
						 const struct syscall_call *call);
	/* T's call returned RVAL: true when a GATE_AT_EXIT call is written
	 * after all (its entry is then formatted at the exit). */
	bool (*syscall_exit)(void *gate, struct tracee *t,
			     const struct syscall_call *call, int64_t rval,
			     bool is_error);
	/* Are T's other events (signals, exit, library calls) written now? */
	bool (*shows)(void *gate, const struct tracee *t);
	/* The tracee's life: added (a new process or thread), exec'd, gone. */
	void (*tracee_added)(void *gate, struct tracee *t);
	void (*exec)(void *gate, struct tracee *t);
	void (*tracee_removed)(void *gate, struct tracee *t);
	void (*free)(void *gate);
};

/* --peer (trace_peer.c): the gate, and its state (NULL when out of
 * memory). */
extern const struct trace_gate trace_peer_gate;
void *trace_peer_new(const struct ptrc_config *config);

#endif
