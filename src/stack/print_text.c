/* Stacks as text: `ptrc stack`, crash reports, and -k's lines (see the
 * printers in ptrc/stack.h). Every byte from the tracee goes through
 * escape_bare. */
#include <inttypes.h>

#include "print_window.h"
#include "ptrc/escape.h"

/* "#0  0x00007f... in write_null+0x1a at crash_null.c:12:5": the module
 * shows where the source position does not already say where the frame
 * is. */
static void frame_text(struct strbuf *sb, size_t index,
		       const struct stack_frame *fr)
{
	sb_printf(sb, "#%-2zu 0x%016" PRIx64 " in ", index, fr->pc);
	if (fr->function) {
		escape_bare_str(sb, fr->function);
		if (fr->function_offset && !fr->inlined)
			sb_printf(sb, "+0x%" PRIx64, fr->function_offset);
	} else {
		sb_puts(sb, "??");
	}
	if (fr->inlined)
		sb_puts(sb, " (inlined)");
	if (fr->file) {
		sb_puts(sb, " at ");
		escape_bare_str(sb, fr->file);
		if (fr->line)
			sb_printf(sb, ":%d", fr->line);
		if (fr->line && fr->column)
			sb_printf(sb, ":%d", fr->column);
	}
	if (fr->module && (!fr->file || !fr->function)) {
		sb_puts(sb, " from ");
		escape_bare_str(sb, fr->module);
		if (!fr->function)
			sb_printf(sb, "+0x%" PRIx64, fr->module_offset);
	}
	sb_putc(sb, '\n');
}

void stack_print_text(struct strbuf *sb, const struct stack_thread *t,
		      const char *mark)
{
	sb_printf(sb, "Thread %d (", (int)t->tid);
	escape_bare_str(sb, t->comm);
	sb_printf(sb, ")%s:\n", mark ? mark : "");
	for (size_t i = 0; i < t->nframes; i++) {
		if (stack_print_shown(i, t->nframes)) {
			frame_text(sb, i, &t->frames[i]);
			if (t->frames[i].vars)
				stack_print_vars_text(sb, t->frames[i].vars);
		} else if (i == STACK_PRINT_HEAD) {
			sb_printf(sb, "... %zu frames omitted ...\n",
				  stack_print_omitted(t->nframes));
		}
	}
	if (t->stop_reason) {
		sb_puts(sb, t->nframes ? "(walk stopped: " : "(no stack: ");
		escape_bare_str(sb, t->stop_reason);
		sb_puts(sb, ")\n");
	}
}

/* " > MODULE(FUNCTION+0xOFF) [0xMODOFF] FILE:LINE:COL" */
static void frame_k(struct strbuf *sb, const struct stack_frame *fr)
{
	sb_puts(sb, " > ");
	escape_bare_str(sb, fr->module ? fr->module : "?");
	sb_putc(sb, '(');
	if (fr->function) {
		escape_bare_str(sb, fr->function);
		if (fr->function_offset && !fr->inlined)
			sb_printf(sb, "+0x%" PRIx64, fr->function_offset);
	}
	sb_printf(sb, ") [0x%" PRIx64 "]", fr->module_offset);
	if (fr->inlined)
		sb_puts(sb, " (inlined)");
	if (fr->file) {
		sb_putc(sb, ' ');
		escape_bare_str(sb, fr->file);
		if (fr->line)
			sb_printf(sb, ":%d", fr->line);
		if (fr->line && fr->column)
			sb_printf(sb, ":%d", fr->column);
	}
	sb_putc(sb, '\n');
}

void stack_print_k(struct strbuf *sb, const struct stack_thread *t)
{
	for (size_t i = 0; i < t->nframes; i++) {
		if (stack_print_shown(i, t->nframes))
			frame_k(sb, &t->frames[i]);
		else if (i == STACK_PRINT_HEAD)
			sb_printf(sb, " > ... %zu frames omitted ...\n",
				  stack_print_omitted(t->nframes));
	}
	if (t->stop_reason) {
		sb_puts(sb, t->nframes ? " > (walk stopped: " : " > (no stack: ");
		escape_bare_str(sb, t->stop_reason);
		sb_puts(sb, ")\n");
	}
}

void stack_print_modules_text(struct strbuf *sb, const struct stack_module *m,
			      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sb_printf(sb, "0x%016" PRIx64 "-0x%016" PRIx64 " ", m[i].start,
			  m[i].end);
		escape_bare_str(sb, m[i].path ? m[i].path : "??");
		sb_puts(sb, " build-id ");
		sb_puts(sb, m[i].build_id ? m[i].build_id : "(none)");
		if (m[i].debug_file) {
			sb_puts(sb, " debug ");
			escape_bare_str(sb, m[i].debug_file);
		}
		sb_putc(sb, '\n');
	}
}
