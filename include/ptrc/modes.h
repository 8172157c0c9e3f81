/* Modes: what ptrc does with the engine's events. Each mode is a table of
 * callbacks (struct mode_ops) and its state. */
#ifndef PTRC_MODES_H
#define PTRC_MODES_H

#include "ptrc/config.h"
#include "ptrc/engine.h"
#include "ptrc/output.h"

struct trace_mode;

/* Syscall tracing in strace's text format, to OUT. */
struct trace_mode *trace_mode_new(const struct ptrc_config *config,
				  struct out *out);
const struct mode_ops *trace_mode_ops(void);
/* The engine, for the count of tracees (the [pid N] prefix). */
void trace_mode_set_engine(struct trace_mode *m, struct engine *e);
/* -ff: each thread's lines go to its own file, BASE.TID (BASE is
 * copied); OUT keeps what is not a thread's (the -c summary). */
bool trace_mode_output_separately(struct trace_mode *m, const char *base);
/* The errno of the first failed open or write of the trace, or 0. */
int trace_mode_output_error(const struct trace_mode *m);
void trace_mode_free(struct trace_mode *m);

/* The crash mode (--crash): reports of fatal signals, to OUT. */
struct crash_mode;
struct crash_mode *crash_mode_new(const struct ptrc_config *config,
				  struct out *out);
const struct mode_ops *crash_mode_ops(void);
/* The engine, to tell the run command's process from -f children. */
void crash_mode_set_engine(struct crash_mode *m, struct engine *e);
void crash_mode_free(struct crash_mode *m);

/* ptrc stack PID...: every thread's stack, then detach. Returns ptrc's
 * exit status: 0 every walk complete, 1 partial, 2 no frame at all, or an
 * attach error's status. */
int stack_command(const struct ptrc_config *config, struct out *out);
/* ptrc report --core FILE: a crash report of a core file. */
int report_command(const struct ptrc_config *config, struct out *out);

/* ptrc triage FILE...: the crash reports in the files (config->argv),
 * grouped and flagged, to OUT. Returns 0 when a report was found, 1 when
 * none was, 2 when a file could not be read, or PTRC_EXIT_OUTPUT. */
int triage_command(const struct ptrc_config *config, struct out *out);

#endif
