/* Printing values through flag and enum tables (xlat.h). */
#include "xlat.h"

#include <stddef.h>

const char *xlat_name(const struct xlat *x, uint64_t value)
{
	for (unsigned i = 0; i < x->count; i++)
		if (x->entries[i].value == value)
			return x->entries[i].name;
	return NULL;
}

void print_unknown(struct strbuf *sb, uint64_t value, const char *text)
{
	if (value)
		sb_printf(sb, "%#llx", (unsigned long long)value);
	else
		sb_putc(sb, '0');
	if (text)
		sb_printf(sb, " /* %s */", text);
}

uint64_t print_flags_known(struct strbuf *sb, const struct xlat *x,
			   uint64_t value, bool leading_bar)
{
	bool bar = leading_bar;
	for (unsigned i = 0; i < x->count && value; i++) {
		uint64_t v = x->entries[i].value;
		if (v && (value & v) == v) {
			if (bar)
				sb_putc(sb, '|');
			sb_puts(sb, x->entries[i].name);
			bar = true;
			value &= ~v;
		}
	}
	return value;
}

void print_flags(struct strbuf *sb, const struct xlat *x, uint64_t value)
{
	if (!value) {
		sb_puts(sb, x->zero ? x->zero : "0");
		return;
	}
	size_t start = sb->len;
	uint64_t rest = print_flags_known(sb, x, value, false);
	if (sb->len == start) {
		print_unknown(sb, rest, x->unknown);
		return;
	}
	if (rest)
		sb_printf(sb, "|%#llx", (unsigned long long)rest);
}

void print_enum(struct strbuf *sb, const struct xlat *x, uint64_t value,
		const char *unknown)
{
	const char *name = xlat_name(x, value);
	if (name)
		sb_puts(sb, name);
	else
		print_unknown(sb, value, unknown ? unknown : x->unknown);
}
