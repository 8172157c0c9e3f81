/* The pure part of "which syscall was each thread in" (crash_syscall.c):
 * reading /proc/TID/syscall's text and telling an interrupted call from
 * one that returned, from values alone, so that it is tested on fabricated
 * input (tests/unit/test_crash_syscall.c). */
#ifndef PTRC_MODES_CRASH_SYSCALL_PROC_H
#define PTRC_MODES_CRASH_SYSCALL_PROC_H

#include <stddef.h>
#include <stdint.h>

/* What /proc/TID/syscall says. */
enum proc_syscall_kind {
	PROC_SYSCALL_GARBAGE,  /* not the kernel's format: believe nothing */
	PROC_SYSCALL_RUNNING,  /* "running": the thread is on a CPU */
	PROC_SYSCALL_NONE,     /* "-1 SP PC": not in a syscall */
	PROC_SYSCALL_IN,       /* "NR A1 .. A6 SP PC" */
};

/* Parses LEN bytes of /proc/TID/syscall (no NUL needed): for
 * PROC_SYSCALL_IN, *NR and ARGS[6] are filled. */
enum proc_syscall_kind proc_syscall_parse(const char *text, size_t len,
					  uint64_t *nr, uint64_t args[6]);

/* Was a thread whose stop left RET in its return register (sign-extended)
 * still waiting in its syscall? Yes for the kernel's restart codes
 * (ERESTARTSYS 512, ERESTARTNOINTR 513, ERESTARTNOHAND 514,
 * ERESTART_RESTARTBLOCK 516: the call is restarted when the thread
 * resumes) and for EINTR (a wait that the stop ended and that is not
 * restarted: epoll_wait, and others of signal(7)'s list). Any other value
 * is what the call had returned. */
int crash_syscall_was_waiting(int64_t ret);

#endif
