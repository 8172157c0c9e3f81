/* -k: the stack of a thread after each of its syscalls, with one stack
 * session per traced process (tgid), kept across syscalls and refreshed
 * only when its mappings change (mmap, munmap, mremap, mprotect, shmat...)
 * or it execs. */
#ifndef PTRC_MODES_STACK_K_H
#define PTRC_MODES_STACK_K_H

#include <stdbool.h>
#include "ptrc/engine.h"
#include "ptrc/strbuf.h"

/* Every syscall exit of T, shown or not: NAME (NULL: unknown) may have
 * changed its mappings or image. */
void stack_k_syscall_exit(const struct tracee *t, const char *name, bool failed);
/* T is in a syscall-exit stop: append its stack lines to SB. UNSEEN: some
 * syscalls do not stop (seccomp filter), so mapping changes may have gone
 * unseen: re-read the maps (cheap when they did not change). */
void stack_k_lines(struct strbuf *sb, const struct tracee *t, int backend,
		   bool unseen);
/* The same as one JSON object: the thread of stack_print_json, or
 * {"tid":N,"error":"why"}. */
void stack_k_json(struct strbuf *sb, const struct tracee *t, int backend,
		  bool unseen);
/* Process TGID is gone: drop its session. */
void stack_k_forget(pid_t tgid);

#endif
