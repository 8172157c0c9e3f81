/* Printing values through flag and enum tables (xlat.h). */
#include "xlat.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

size_t xlat_start(const struct strbuf *sb)
{
	return sb->len;
}

void xlat_finish(struct strbuf *sb, enum xlat_style style, size_t mark,
		 uint64_t value)
{
	if (style == XLAT_STYLE_ABBREV || sb->len < mark)
		return;
	size_t n = sb->len - mark;
	char *text = malloc(n + 1);
	if (!text)
		return;
	memcpy(text, sb->data + mark, n);
	text[n] = '\0';
	/* a value the tables could not name printed as a number already
	 * ("0x4d", "0", "0 / * IP_??? * /") */
	bool named = strncmp(text, "0x", 2) != 0 && strcmp(text, "0") != 0 &&
		     strncmp(text, "0 /* ", 5) != 0;
	sb->len = mark;
	if (sb->data)
		sb->data[mark] = '\0';
	if (style == XLAT_STYLE_VERBOSE && !named) {
		sb_putn(sb, text, n);
	} else {
		if (value)
			sb_printf(sb, "%#llx", (unsigned long long)value);
		else
			sb_putc(sb, '0');
		if (style == XLAT_STYLE_VERBOSE)
			sb_printf(sb, " /* %s */", text);
	}
	free(text);
}

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

void print_flags(struct strbuf *sb, enum xlat_style style,
		 const struct xlat *x, uint64_t value)
{
	size_t mark = xlat_start(sb);
	if (!value) {
		sb_puts(sb, x->zero ? x->zero : "0");
	} else {
		size_t start = sb->len;
		uint64_t rest = print_flags_known(sb, x, value, false);
		if (sb->len == start)
			print_unknown(sb, rest, x->unknown);
		else if (rest)
			sb_printf(sb, "|%#llx", (unsigned long long)rest);
	}
	xlat_finish(sb, style, mark, value);
}

void print_enum(struct strbuf *sb, enum xlat_style style,
		const struct xlat *x, uint64_t value, const char *unknown)
{
	size_t mark = xlat_start(sb);
	const char *name = xlat_name(x, value);
	if (name)
		sb_puts(sb, name);
	else
		print_unknown(sb, value, unknown ? unknown : x->unknown);
	xlat_finish(sb, style, mark, value);
}

void print_enum_dec(struct strbuf *sb, enum xlat_style style,
		    const struct xlat *x, int64_t value)
{
	const char *name = xlat_name(x, (uint64_t)value);
	if (name && style == XLAT_STYLE_ABBREV) {
		sb_puts(sb, name);
		return;
	}
	sb_printf(sb, "%lld", (long long)value);
	if (style == XLAT_STYLE_RAW)
		return;
	if (name || x->unknown)
		sb_printf(sb, " /* %s */", name ? name : x->unknown);
}
