/* "What every thread was doing" in a crash report: the syscall each held
 * thread was inside when the process was stopped, decoded as strace
 * prints it (-yy descriptors). Gathered by crash_report_collect while
 * every thread is held; printed after each thread's stack (text) and as
 * the "syscall" member of each thread (JSON). */
#ifndef PTRC_MODES_CRASH_SYSCALL_H
#define PTRC_MODES_CRASH_SYSCALL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ptrc/arch.h"
#include "ptrc/stack.h"
#include "ptrc/strbuf.h"

enum crash_syscall_state {
	CRASH_SYSCALL_NONE,      /* in user code, or not known: nothing shown */
	CRASH_SYSCALL_BLOCKED,   /* waiting inside it (the return register
				  * holds -ERESTART* or -EINTR) */
	CRASH_SYSCALL_RETURNED,  /* it had returned (tgkill of abort()...) and
				  * the thread stopped on its way out */
	CRASH_SYSCALL_REFUSED,   /* not made: the crashed thread's SIGSYS
				  * came from seccomp (or syscall user
				  * dispatch) in its place */
};

struct crash_syscall {
	enum crash_syscall_state state;
	enum ptrc_arch arch;     /* the call's: i386 for a 32-bit process */
	uint64_t nr;
	uint64_t args[6];        /* as /proc/TID/syscall gives them */
	int64_t ret;             /* the return register, sign-extended:
				  * BLOCKED, -ERESTART* or -EINTR */
	char *call;              /* "read(3<pipe:[5]>, 0x7ffd..., 1)" */
	char *ret_text;          /* RETURNED: "0", "-1 EBADF (...)" */
};

/* One entry per thread of THREADS (the report's order, the crashed one
 * first, whose signal is SI), into *OUT. A thread is looked at only when
 * STOPPED says it was held (TIDS[i], STOPPED[i], as crash_report_collect
 * got them). */
void crash_syscalls_collect(struct crash_syscall **out,
			    const struct stack_thread *threads, size_t nthreads,
			    const pid_t *tids, const bool *stopped, size_t ntids,
			    const siginfo_t *si);
/* "Syscall: read(...) <unfinished ...>", "Syscall: tgkill(...) = 0" or
 * "Syscall: socket(...) <not made: seccomp>", one line; nothing for NONE
 * or a NULL CS. */
void crash_syscall_text(struct strbuf *sb, const struct crash_syscall *cs);
/* Adds `"syscall":{...}` (or `"syscall":null`) to the JSON object that SB
 * ends with (a thread's, by stack_print_json). */
void crash_syscall_json_member(struct strbuf *sb, const struct crash_syscall *cs);
void crash_syscalls_free(struct crash_syscall *cs, size_t n);

#endif
