/* /proc readers (src/engine/proc.c): the engine's, and -l's (src/lcall). */
#ifndef PTRC_PROC_H
#define PTRC_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A number field of /proc/TID/status ("PPid", "SigPnd" in BASE 16);
 * false when the file or the field cannot be read. */
bool proc_status_value(pid_t tid, const char *field, int base,
		       unsigned long long *value);
/* The Tgid: of /proc/TID/status, or TID itself when it cannot be read. */
pid_t proc_tgid(pid_t tid);
/* The state letter of /proc/TID/stat (R, S, T, t, Z, ...), 0 when gone. */
char proc_state(pid_t tid);
/* The TracerPid: of /proc/PID/status: 0 when untraced, -1 unreadable. */
pid_t proc_tracer(pid_t pid);
/* The processes PID's threads forked (/proc/PID/task/TID/children), into
 * a malloc'ed *CHILDREN; their number (0: none, or PID gone). */
size_t proc_children(pid_t pid, pid_t **children);
/* /proc/PID/comm into BUF ("" when gone), bytes outside printable ASCII
 * replaced by '?'. */
void proc_comm(pid_t pid, char *buf, size_t size);
/* Is TID gone, a zombie, or exiting (PF_EXITING)? */
bool proc_exiting(pid_t tid);
/* Does /proc/PID/task list a thread besides the leader? */
bool proc_other_threads(pid_t pid);

#endif
