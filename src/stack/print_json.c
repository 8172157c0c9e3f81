/* Stacks as JSON. Addresses are strings ("0x..."): a JSON reader may hold
 * numbers as doubles, which lose the low bits of a 64-bit pc. */
#include <inttypes.h>

#include "escape.h"
#include "ptrc/stack.h"

static const char *walk_name(enum stack_walk walk)
{
	switch (walk) {
	case STACK_WALK_COMPLETE: return "complete";
	case STACK_WALK_PARTIAL: return "partial";
	case STACK_WALK_NONE: break;
	}
	return "none";
}

static void print_int_or_null(FILE *f, int value)
{
	if (value)
		fprintf(f, "%d", value);
	else
		fputs("null", f);
}

static void print_frame(FILE *f, const struct stack_frame *fr)
{
	fprintf(f, "{\"pc\":\"0x%" PRIx64 "\",\"activation\":%s,\"inlined\":%s,"
			"\"function\":", fr->pc, fr->activation ? "true" : "false",
			fr->inlined ? "true" : "false");
	escape_json(f, fr->function);
	fprintf(f, ",\"function_offset\":%" PRIu64 ",\"file\":",
			fr->function_offset);
	escape_json(f, fr->file);
	fputs(",\"line\":", f);
	print_int_or_null(f, fr->line);
	fputs(",\"column\":", f);
	print_int_or_null(f, fr->column);
	fputs(",\"module\":", f);
	escape_json(f, fr->module);
	fprintf(f, ",\"module_offset\":\"0x%" PRIx64 "\"}", fr->module_offset);
}

void stack_print_json(FILE *f, const struct stack_thread *t)
{
	fprintf(f, "{\"tid\":%d,\"comm\":", (int)t->tid);
	escape_json(f, t->comm);
	fprintf(f, ",\"walk\":\"%s\",\"vanished\":%s,\"stop_reason\":",
			walk_name(t->walk), t->vanished ? "true" : "false");
	escape_json(f, t->stop_reason);
	fputs(",\"frames\":[", f);
	for (size_t i = 0; i < t->nframes; i++) {
		if (i)
			putc(',', f);
		print_frame(f, &t->frames[i]);
	}
	fputs("]}", f);
}

void stack_print_modules_json(FILE *f, const struct stack_module *m, size_t n)
{
	putc('[', f);
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc(',', f);
		fprintf(f, "{\"start\":\"0x%" PRIx64 "\",\"end\":\"0x%" PRIx64 "\","
				"\"path\":", m[i].start, m[i].end);
		escape_json(f, m[i].path);
		fputs(",\"build_id\":", f);
		escape_json(f, m[i].build_id);
		fputs(",\"elf_file\":", f);
		escape_json(f, m[i].elf_file);
		fputs(",\"debug_file\":", f);
		escape_json(f, m[i].debug_file);
		putc('}', f);
	}
	putc(']', f);
}
