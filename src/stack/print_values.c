/* A frame's arguments and locals under its line (text) or in its object
 * (JSON). Names come from DWARF and go through escape_bare / json_string;
 * values were made printable ASCII when they were built (value_format.c:
 * gdb's escapes for tracee bytes, escape_bare for DWARF names), so text
 * prints them as they are. */
#include "ptrc/escape.h"
#include "ptrc/json.h"
#include "ptrc/stack.h"

static const char *status_name(enum stack_var_status st)
{
	return st == STACK_VAR_OK ? "ok" :
	       st == STACK_VAR_ERROR ? "error" :
	       st == STACK_VAR_UNSUPPORTED ? "unsupported" : "optimized_out";
}

void stack_print_vars_text(struct strbuf *sb, const struct stack_frame_vars *v)
{
	for (size_t i = 0; i < v->nvars; i++) {
		const struct stack_var *var = &v->vars[i];
		sb_puts(sb, var->param ? "    arg   " : "    local ");
		escape_bare_str(sb, var->name);
		sb_puts(sb, " = ");
		sb_puts(sb, var->value);  /* printable ASCII already */
		sb_putc(sb, '\n');
	}
	if (v->more)
		sb_printf(sb, "    ... %zu more variables\n", v->more);
}

static void vars_json(struct strbuf *sb, const struct stack_frame_vars *v,
		bool params)
{
	bool first = true;
	sb_putc(sb, '[');
	for (size_t i = 0; i < v->nvars; i++) {
		const struct stack_var *var = &v->vars[i];
		if (var->param != params)
			continue;
		sb_puts(sb, first ? "{\"name\":" : ",{\"name\":");
		first = false;
		json_string_or_null(sb, var->name);
		sb_puts(sb, ",\"type\":");
		json_string_or_null(sb, var->type);
		sb_puts(sb, ",\"value\":");
		json_string_or_null(sb, var->value);
		sb_printf(sb, ",\"status\":\"%s\"}", status_name(var->status));
	}
	sb_putc(sb, ']');
}

void stack_print_vars_json(struct strbuf *sb, const struct stack_frame_vars *v)
{
	sb_puts(sb, ",\"params\":");
	vars_json(sb, v, true);
	sb_puts(sb, ",\"locals\":");
	vars_json(sb, v, false);
	sb_printf(sb, ",\"vars_omitted\":%zu", v->more);
}
