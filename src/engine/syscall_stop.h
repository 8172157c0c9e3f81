/* Syscall stops (syscall_stop.c). */
#ifndef PTRC_ENGINE_SYSCALL_STOP_H
#define PTRC_ENGINE_SYSCALL_STOP_H

#include <stdbool.h>

struct engine;
struct tracee;

/* T is at a syscall stop (SECCOMP: a PTRACE_EVENT_SECCOMP stop, always an
 * entry): tell the mode of the entry or the exit. T is not resumed. */
void engine_syscall_stop(struct engine *e, struct tracee *t, bool seccomp);

#endif
