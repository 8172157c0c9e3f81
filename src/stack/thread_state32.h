/* libdwfl's thread state for a 32-bit tracee (thread_state32.c): the
 * live libdw walk's registers and memory, read at the tracee's width. */
#ifndef PTRC_STACK_THREAD_STATE32_H
#define PTRC_STACK_THREAD_STATE32_H

#include <elfutils/libdwfl.h>
#include <stdbool.h>
#include <sys/types.h>

/* Is PID (ptrace-stopped by the caller) a 32-bit process on this host? */
bool stack_thread_state32_wanted(pid_t pid);
/* dwfl_attach_state with callbacks that read PID at 32 bits; false (with
 * dwfl_errno set) when libdwfl refuses. */
bool stack_thread_state32_attach(Dwfl *dwfl, pid_t pid);

#endif
