/* The unwinders behind a stack session. Each walk fills RAW with pcs and
 * returns 0 when it reached the outermost frame, or -1 with a malloc'd
 * reason (cut, error). The session (session.c) opens, flushes and closes
 * the libunwind state; the walk (unwind.c) calls the walks. */
#ifndef PTRC_STACK_BACKENDS_H
#define PTRC_STACK_BACKENDS_H

#include <sys/types.h>

#include "raw_stack.h"

struct stack_session;

/* libdwfl's unwinder (unwind_libdw.c): needs the session's thread state
 * attached. */
int stack_libdw_walk(struct stack_session *s, pid_t tid,
		struct raw_stack *raw, char **reason);

/* libunwind-ptrace (unwind_libunwind.c): one address space per session. */
int stack_libunwind_open(struct stack_session *s, char **error);
/* The modules changed: forget cached unwind info. */
void stack_libunwind_flush(struct stack_session *s);
void stack_libunwind_close(struct stack_session *s);
int stack_libunwind_walk(struct stack_session *s, pid_t tid,
		struct raw_stack *raw, char **reason);

#endif
