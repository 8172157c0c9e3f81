/* Stacks as lines for crash reports, `ptrc stack` and `-k`: the stack
 * layer's plain data (struct stack_thread) into a strbuf, every byte from
 * the tracee escaped. Long stacks (a stack overflow) keep their first HEAD
 * and last TAIL frames, with a note of how many were left out between. */
#ifndef PTRC_MODES_STACK_LINES_H
#define PTRC_MODES_STACK_LINES_H

#include <stdbool.h>
#include "ptrc/stack.h"
#include "ptrc/strbuf.h"

/* Frames kept of a long stack (0 for TAIL: all frames). */
#define STACK_LINES_HEAD 64
#define STACK_LINES_TAIL 32
/* The most frames walked per thread: a stack overflow of 8 MiB in
 * frames of 64 bytes still fits. */
#define STACK_LINES_MAX_FRAMES 200000

/* Tracee bytes, bare: printable ASCII as is, the rest \xHH. */
void sl_text(struct strbuf *sb, const char *s);
/* A JSON string (json_string_or_null), or null. */
void sl_json(struct strbuf *sb, const char *s);

/* "Thread 1234 (comm)MARK:\n" then one line per frame:
 *   #0  0x00007f... in write_null+0x1a at crash_null.c:12:5
 *   #1  0x00007f... in inlined_fn (inlined) at x.c:3:2
 *   #2  0x00007f... in ?? from /lib/libfoo.so+0x1479
 *   ... 12000 frames omitted ...
 * and "(walk stopped: REASON)" when it ended early. */
void sl_thread_text(struct strbuf *sb, const struct stack_thread *t,
		    const char *mark);
/* {"tid":..,"comm":..,"crashed":..,"walk":..,"stop_reason":..,
 *  "frames_total":N,"frames_omitted":M,"omitted_after":HEAD,"frames":[..]} */
void sl_thread_json(struct strbuf *sb, const struct stack_thread *t,
		    bool crashed);
/* -k: " > MODULE(FUNCTION+0xOFF) [0xMODOFF] FILE:LINE:COL" per frame,
 * inlined frames as " > MODULE(FUNCTION) [0xMODOFF] (inlined) ...". */
void sl_thread_k(struct strbuf *sb, const struct stack_thread *t);

void sl_modules_text(struct strbuf *sb, const struct stack_module *m, size_t n);
void sl_modules_json(struct strbuf *sb, const struct stack_module *m, size_t n);

#endif
