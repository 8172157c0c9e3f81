/* Stacks as text and JSON lines (see stack_lines.h). */
#include "stack_lines.h"

#include <inttypes.h>

#include "ptrc/escape.h"
#include "ptrc/json.h"

void sl_text(struct strbuf *sb, const char *s)
{
	escape_bare_str(sb, s);
}

void sl_json(struct strbuf *sb, const char *s)
{
	json_string_or_null(sb, s);
}

/* Which frames print: all, or the first HEAD and the last TAIL. */
static bool shown(size_t i, size_t n)
{
	return n <= STACK_LINES_HEAD + STACK_LINES_TAIL || i < STACK_LINES_HEAD ||
	       i >= n - STACK_LINES_TAIL;
}

static size_t omitted(size_t n)
{
	return n <= STACK_LINES_HEAD + STACK_LINES_TAIL ? 0 :
	       n - STACK_LINES_HEAD - STACK_LINES_TAIL;
}

static void frame_text(struct strbuf *sb, size_t index,
		       const struct stack_frame *fr)
{
	sb_printf(sb, "#%-2zu 0x%016" PRIx64 " in ", index, fr->pc);
	if (fr->function) {
		sl_text(sb, fr->function);
		if (fr->function_offset && !fr->inlined)
			sb_printf(sb, "+0x%" PRIx64, fr->function_offset);
	} else {
		sb_puts(sb, "??");
	}
	if (fr->inlined)
		sb_puts(sb, " (inlined)");
	if (fr->file) {
		sb_puts(sb, " at ");
		sl_text(sb, fr->file);
		if (fr->line)
			sb_printf(sb, ":%d", fr->line);
		if (fr->line && fr->column)
			sb_printf(sb, ":%d", fr->column);
	}
	if (fr->module && (!fr->file || !fr->function)) {
		sb_puts(sb, " from ");
		sl_text(sb, fr->module);
		if (!fr->function)
			sb_printf(sb, "+0x%" PRIx64, fr->module_offset);
	}
	sb_putc(sb, '\n');
}

void sl_thread_text(struct strbuf *sb, const struct stack_thread *t,
		    const char *mark)
{
	sb_printf(sb, "Thread %d (", (int)t->tid);
	sl_text(sb, t->comm);
	sb_printf(sb, ")%s:\n", mark ? mark : "");
	for (size_t i = 0; i < t->nframes; i++) {
		if (shown(i, t->nframes))
			frame_text(sb, i, &t->frames[i]);
		else if (i == STACK_LINES_HEAD)
			sb_printf(sb, "... %zu frames omitted ...\n",
				  omitted(t->nframes));
	}
	if (t->stop_reason) {
		sb_puts(sb, t->nframes ? "(walk stopped: " : "(no stack: ");
		sl_text(sb, t->stop_reason);
		sb_puts(sb, ")\n");
	}
}

static const char *walk_name(enum stack_walk walk)
{
	return walk == STACK_WALK_COMPLETE ? "complete" :
	       walk == STACK_WALK_PARTIAL ? "partial" : "none";
}

static void frame_json(struct strbuf *sb, size_t index,
		       const struct stack_frame *fr)
{
	sb_printf(sb, "{\"index\":%zu,\"pc\":\"0x%" PRIx64 "\",\"activation\":%s,"
		  "\"inlined\":%s,\"function\":", index, fr->pc,
		  fr->activation ? "true" : "false",
		  fr->inlined ? "true" : "false");
	sl_json(sb, fr->function);
	sb_printf(sb, ",\"function_offset\":%" PRIu64 ",\"file\":",
		  fr->function_offset);
	sl_json(sb, fr->file);
	sb_printf(sb, ",\"line\":%d,\"column\":%d,\"module\":", fr->line,
		  fr->column);
	sl_json(sb, fr->module);
	sb_printf(sb, ",\"module_offset\":\"0x%" PRIx64 "\"}", fr->module_offset);
}

void sl_thread_json(struct strbuf *sb, const struct stack_thread *t,
		    bool crashed)
{
	sb_printf(sb, "{\"tid\":%d,\"comm\":", (int)t->tid);
	sl_json(sb, t->comm);
	sb_printf(sb, ",\"crashed\":%s,\"walk\":\"%s\",\"vanished\":%s,"
		  "\"stop_reason\":", crashed ? "true" : "false",
		  walk_name(t->walk), t->vanished ? "true" : "false");
	sl_json(sb, t->stop_reason);
	sb_printf(sb, ",\"frames_total\":%zu,\"frames_omitted\":%zu,"
		  "\"omitted_after\":%d,\"frames\":[", t->nframes,
		  omitted(t->nframes), STACK_LINES_HEAD);
	bool first = true;
	for (size_t i = 0; i < t->nframes; i++) {
		if (!shown(i, t->nframes))
			continue;
		if (!first)
			sb_putc(sb, ',');
		first = false;
		frame_json(sb, i, &t->frames[i]);
	}
	sb_puts(sb, "]}");
}

void sl_thread_k(struct strbuf *sb, const struct stack_thread *t)
{
	for (size_t i = 0; i < t->nframes; i++) {
		const struct stack_frame *fr = &t->frames[i];
		if (!shown(i, t->nframes)) {
			if (i == STACK_LINES_HEAD)
				sb_printf(sb, " > ... %zu frames omitted ...\n",
					  omitted(t->nframes));
			continue;
		}
		sb_puts(sb, " > ");
		sl_text(sb, fr->module ? fr->module : "?");
		sb_putc(sb, '(');
		if (fr->function) {
			sl_text(sb, fr->function);
			if (fr->function_offset && !fr->inlined)
				sb_printf(sb, "+0x%" PRIx64, fr->function_offset);
		}
		sb_printf(sb, ") [0x%" PRIx64 "]", fr->module_offset);
		if (fr->inlined)
			sb_puts(sb, " (inlined)");
		if (fr->file) {
			sb_putc(sb, ' ');
			sl_text(sb, fr->file);
			if (fr->line)
				sb_printf(sb, ":%d", fr->line);
			if (fr->line && fr->column)
				sb_printf(sb, ":%d", fr->column);
		}
		sb_putc(sb, '\n');
	}
	if (t->stop_reason) {
		sb_puts(sb, t->nframes ? " > (walk stopped: " : " > (no stack: ");
		sl_text(sb, t->stop_reason);
		sb_puts(sb, ")\n");
	}
}

void sl_modules_text(struct strbuf *sb, const struct stack_module *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sb_printf(sb, "0x%016" PRIx64 "-0x%016" PRIx64 " ", m[i].start,
			  m[i].end);
		sl_text(sb, m[i].path ? m[i].path : "??");
		sb_puts(sb, " build-id ");
		sb_puts(sb, m[i].build_id ? m[i].build_id : "(none)");
		if (m[i].debug_file) {
			sb_puts(sb, " debug ");
			sl_text(sb, m[i].debug_file);
		}
		sb_putc(sb, '\n');
	}
}

void sl_modules_json(struct strbuf *sb, const struct stack_module *m, size_t n)
{
	sb_putc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		sb_printf(sb, "{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64
			  "\",\"path\":", m[i].start, m[i].end);
		sl_json(sb, m[i].path);
		sb_puts(sb, ",\"build_id\":");
		sl_json(sb, m[i].build_id);
		sb_puts(sb, ",\"debug_file\":");
		sl_json(sb, m[i].debug_file);
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
}
