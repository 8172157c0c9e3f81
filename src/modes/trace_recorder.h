/* The trace mode's plug-in point for what is recorded beside the trace
 * lines: a recorder is told of every syscall's exit and of the tracees'
 * lives, whatever is shown. One at most, chosen at start: the connection
 * recorder of --transcript and --pcap (trace_conns.c). */
#ifndef PTRC_TRACE_RECORDER_H
#define PTRC_TRACE_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "ptrc/decode.h"
#include "ptrc/engine.h"

struct trace_recorder {
	void (*syscall_exit)(void *rec, struct tracee *t,
			     const struct syscall_call *call, int64_t rval,
			     bool is_error);
	/* T is leaving: its process's records end with its last thread. */
	void (*tracee_removed)(void *rec, struct tracee *t);
	void (*free)(void *rec);
};

/* --transcript DIR, --pcap FILE: the recorder and its state (NULL: out
 * of memory). */
extern const struct trace_recorder trace_conns_recorder;
void *trace_conns_new(const struct ptrc_config *config);

#endif
