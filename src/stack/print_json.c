/* Stacks as JSON: `ptrc stack --json`, crash reports, -k with --json (see
 * the printers in ptrc/stack.h). Every string goes through json_string.
 * Addresses are strings ("0x..."): a JSON reader may hold numbers as
 * doubles, which lose the low bits of a 64-bit pc. */
#include <inttypes.h>

#include "print_window.h"
#include "ptrc/json.h"

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
	json_string_or_null(sb, fr->function);
	sb_printf(sb, ",\"function_offset\":%" PRIu64 ",\"file\":",
		  fr->function_offset);
	json_string_or_null(sb, fr->file);
	sb_printf(sb, ",\"line\":%d,\"column\":%d,\"module\":", fr->line,
		  fr->column);
	json_string_or_null(sb, fr->module);
	sb_printf(sb, ",\"module_offset\":\"0x%" PRIx64 "\"", fr->module_offset);
	if (fr->vars)
		stack_print_vars_json(sb, fr->vars);
	sb_putc(sb, '}');
}

void stack_print_json(struct strbuf *sb, const struct stack_thread *t,
		      bool crashed)
{
	sb_printf(sb, "{\"tid\":%d,\"comm\":", (int)t->tid);
	json_string_or_null(sb, t->comm);
	sb_printf(sb, ",\"crashed\":%s,\"walk\":\"%s\",\"vanished\":%s,"
		  "\"stop_reason\":", crashed ? "true" : "false",
		  walk_name(t->walk), t->vanished ? "true" : "false");
	json_string_or_null(sb, t->stop_reason);
	sb_printf(sb, ",\"frames_total\":%zu,\"frames_omitted\":%zu,"
		  "\"omitted_after\":%d,\"frames\":[", t->nframes,
		  stack_print_omitted(t->nframes), STACK_PRINT_HEAD);
	bool first = true;
	for (size_t i = 0; i < t->nframes; i++) {
		if (!stack_print_shown(i, t->nframes))
			continue;
		if (!first)
			sb_putc(sb, ',');
		first = false;
		frame_json(sb, i, &t->frames[i]);
	}
	sb_puts(sb, "]}");
}

void stack_print_modules_json(struct strbuf *sb, const struct stack_module *m,
			      size_t n)
{
	sb_putc(sb, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		sb_printf(sb, "{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64
			  "\",\"path\":", m[i].start, m[i].end);
		json_string_or_null(sb, m[i].path);
		sb_puts(sb, ",\"build_id\":");
		json_string_or_null(sb, m[i].build_id);
		sb_puts(sb, ",\"debug_file\":");
		json_string_or_null(sb, m[i].debug_file);
		sb_putc(sb, '}');
	}
	sb_putc(sb, ']');
}
