/* The trace mode's format when -c shows the summary alone: every event
 * is still seen by trace.c (and counted), none is printed. */
#include "trace_format.h"

static void quiet_syscall_entry(struct trace_mode *m, struct tracee *t,
				const struct syscall_call *call)
{
	(void)m, (void)t, (void)call;
}

static void quiet_syscall_exit(struct trace_mode *m, struct tracee *t,
			       const struct syscall_call *call, int64_t rval,
			       bool is_error)
{
	(void)m, (void)t, (void)call, (void)rval, (void)is_error;
}

static void quiet_syscall_unfinished(struct trace_mode *m, struct tracee *t,
				     const struct syscall_call *call)
{
	(void)m, (void)t, (void)call;
}

static void quiet_signal(struct trace_mode *m, struct tracee *t,
			 const siginfo_t *si)
{
	(void)m, (void)t, (void)si;
}

static void quiet_group_stop(struct trace_mode *m, struct tracee *t, int sig)
{
	(void)m, (void)t, (void)sig;
}

static void quiet_exited(struct trace_mode *m, struct tracee *t, int wstatus,
			 pid_t superseded_by)
{
	(void)m, (void)t, (void)wstatus, (void)superseded_by;
}

static void quiet_note(struct trace_mode *m, struct tracee *t,
		       const char *text)
{
	(void)m, (void)t, (void)text;
}

const struct trace_format trace_format_quiet = {
	.syscall_entry = quiet_syscall_entry,
	.syscall_exit = quiet_syscall_exit,
	.syscall_unfinished = quiet_syscall_unfinished,
	.signal = quiet_signal,
	.group_stop = quiet_group_stop,
	.exited = quiet_exited,
	.note = quiet_note,
};
