/* Stacks as text, one line per frame:
 *
 *   Thread 1234 (worker):
 *   #0  0x00007f3a5c8e5e83 in clock_nanosleep+0x63 from /lib/x86_64-linux-gnu/libc.so.6
 *   #1  0x000055d0c1a0135e in inlined_wait (inlined) at fixtures/stack_threads.c:61:3
 *   #2  0x000055d0c1a0135e in wait_here_5+0xe at fixtures/stack_threads.c:69:2
 *   #3  0x000055d0c1a01479 in ?? from /usr/lib/libfoo.so+0x1479
 *   (walk stopped: cannot unwind past 0x...: no matching address range)
 *
 * The module shows only where the source position does not already say
 * where the frame is. */
#include <inttypes.h>

#include "escape.h"
#include "ptrc/stack.h"

static void print_frame(FILE *f, size_t index, const struct stack_frame *fr)
{
	fprintf(f, "#%-2zu 0x%016" PRIx64 " in ", index, fr->pc);
	if (fr->function) {
		escape_text(f, fr->function);
		if (fr->function_offset && !fr->inlined)
			fprintf(f, "+0x%" PRIx64, fr->function_offset);
	} else {
		fputs("??", f);
	}
	if (fr->inlined)
		fputs(" (inlined)", f);
	if (fr->file) {
		fputs(" at ", f);
		escape_text(f, fr->file);
		if (fr->line)
			fprintf(f, ":%d", fr->line);
		if (fr->line && fr->column)
			fprintf(f, ":%d", fr->column);
	} else if (fr->module) {
		fputs(" from ", f);
		escape_text(f, fr->module);
		if (!fr->function)
			fprintf(f, "+0x%" PRIx64, fr->module_offset);
	}
	putc('\n', f);
}

void stack_print_text(FILE *f, const struct stack_thread *t)
{
	fprintf(f, "Thread %d (", (int)t->tid);
	escape_text(f, t->comm);
	fputs("):\n", f);
	for (size_t i = 0; i < t->nframes; i++)
		print_frame(f, i, &t->frames[i]);
	if (t->stop_reason) {
		fputs(t->nframes ? "(walk stopped: " : "(no stack: ", f);
		escape_text(f, t->stop_reason);
		fputs(")\n", f);
	}
}

void stack_print_modules_text(FILE *f, const struct stack_module *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "0x%016" PRIx64 "-0x%016" PRIx64 " ", m[i].start,
				m[i].end);
		escape_text(f, m[i].path ? m[i].path : "??");
		if (m[i].build_id)
			fprintf(f, " build-id %s", m[i].build_id);
		if (m[i].debug_file) {
			fputs(" debug ", f);
			escape_text(f, m[i].debug_file);
		}
		putc('\n', f);
	}
}
