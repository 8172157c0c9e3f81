/* Parsers of the context's /proc texts and the core_pattern expansion
 * (see crash_ctx_parse.h). Input is hostile and may be cut anywhere: no
 * NUL is assumed, every step checks the end. */
#include "crash_ctx_parse.h"

#include <stdio.h>
#include <string.h>

const char *ctx_field(const char *text, size_t len, const char *key,
		      size_t *vlen, bool *cut)
{
	size_t klen = strlen(key);
	size_t at = 0;
	while (at < len) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t llen = nl ? (size_t)(nl - line) : len - at;
		if (llen > klen && memcmp(line, key, klen) == 0 &&
		    line[klen] == ':') {
			size_t skip = klen + 1;
			while (skip < llen && (line[skip] == '\t' || line[skip] == ' '))
				skip++;
			*vlen = llen - skip;
			*cut = nl == NULL;
			return line + skip;
		}
		if (!nl)
			break;
		at += llen + 1;
	}
	return NULL;
}

long ctx_parse_numbers(const char *v, size_t vlen, bool cut,
		       unsigned long *out, size_t max)
{
	size_t n = 0, i = 0;
	while (i < vlen) {
		if (v[i] == ' ' || v[i] == '\t') {
			i++;
			continue;
		}
		if (v[i] < '0' || v[i] > '9')
			return -1;
		unsigned long value = 0;
		size_t start = i;
		bool overflow = false;
		while (i < vlen && v[i] >= '0' && v[i] <= '9') {
			unsigned long next = value * 10 + (unsigned long)(v[i] - '0');
			if (next / 10 != value)
				overflow = true;
			value = next;
			i++;
		}
		if (i == vlen && cut && i > start)
			break;  /* may have lost digits */
		if (overflow || (i < vlen && v[i] != ' ' && v[i] != '\t'))
			return -1;
		if (n < max)
			out[n] = value;
		n++;
	}
	return (long)n;
}

/* "KEY:\t<digits in BASE>\n" of TEXT into *OUT; a value cut short or with
 * anything else in it is not taken. */
static bool fdinfo_number(const char *text, size_t len, const char *key,
			  int base, unsigned long long *out)
{
	size_t vlen;
	bool cut;
	const char *v = ctx_field(text, len, key, &vlen, &cut);
	if (!v || cut || vlen == 0 || vlen > 22)
		return false;
	unsigned long long value = 0;
	for (size_t i = 0; i < vlen; i++) {
		int d = v[i] - '0';
		if (d < 0 || d >= base)
			return false;
		if (value > (~0ull - (unsigned)d) / (unsigned)base)
			return false;
		value = value * (unsigned)base + (unsigned)d;
	}
	*out = value;
	return true;
}

bool ctx_fdinfo_flags(const char *text, size_t len, unsigned long *flags)
{
	unsigned long long v;
	if (!fdinfo_number(text, len, "flags", 8, &v) || v > 0xffffffffull)
		return false;
	*flags = (unsigned long)v;
	return true;
}

bool ctx_fdinfo_pos(const char *text, size_t len, unsigned long long *pos)
{
	return fdinfo_number(text, len, "pos", 10, pos);
}

/* One limit value at *P (blanks skipped), up to END: "unlimited" or
 * decimal digits; *P moves past it. */
static bool limit_value(const char **p, const char *end, uint64_t *out)
{
	while (*p < end && **p == ' ')
		(*p)++;
	if (end - *p >= 9 && memcmp(*p, "unlimited", 9) == 0) {
		*p += 9;
		*out = UINT64_MAX;
		return *p == end || **p == ' ';
	}
	uint64_t v = 0;
	const char *start = *p;
	while (*p < end && **p >= '0' && **p <= '9') {
		unsigned d = (unsigned)(**p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
		(*p)++;
	}
	*out = v;
	return *p > start && (*p == end || **p == ' ');
}

bool ctx_limits_line(const char *text, size_t len, const char *name,
		     uint64_t *soft, uint64_t *hard)
{
	size_t nlen = strlen(name);
	size_t at = 0;
	while (at < len) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		if (!nl)
			return false;  /* a line cut short is not trusted */
		size_t llen = (size_t)(nl - line);
		if (llen > nlen && memcmp(line, name, nlen) == 0 &&
		    line[nlen] == ' ') {
			const char *p = line + nlen;
			return limit_value(&p, nl, soft) && limit_value(&p, nl, hard);
		}
		at += llen + 1;
	}
	return false;
}

/* The kernel's cn_esc_printf: a '/' in a name becomes '!', and a name
 * that is "." or ".." gets its first dot as '!'. */
static void put_escaped_name(struct strbuf *sb, const char *name)
{
	size_t start = sb->len;
	for (const char *p = name; *p; p++)
		sb_putc(sb, *p == '/' ? '!' : *p);
	size_t n = sb->len - start;
	if ((n == 1 && sb->data[start] == '.') ||
	    (n == 2 && memcmp(sb->data + start, "..", 2) == 0))
		sb->data[start] = '!';
}

/* One %-specifier C; false when its value is not known here (then it is
 * printed as written). */
static bool expand_one(struct strbuf *sb, char c, const struct core_vars *v)
{
	const char *s;
	switch (c) {
	case '%': sb_putc(sb, '%'); return true;
	case 'p': if (v->pid < 0) return false;
		sb_printf(sb, "%ld", v->pid); return true;
	case 'P': if (v->global_pid < 0) return false;
		sb_printf(sb, "%ld", v->global_pid); return true;
	case 'i': if (v->tid < 0) return false;
		sb_printf(sb, "%ld", v->tid); return true;
	case 'I': if (v->global_tid < 0) return false;
		sb_printf(sb, "%ld", v->global_tid); return true;
	case 'u': if (v->uid < 0) return false;
		sb_printf(sb, "%ld", v->uid); return true;
	case 'g': if (v->gid < 0) return false;
		sb_printf(sb, "%ld", v->gid); return true;
	case 'd': if (v->dump_mode < 0) return false;
		sb_printf(sb, "%ld", v->dump_mode); return true;
	case 's': sb_printf(sb, "%d", v->signo); return true;
	case 'c': if (!v->core_limit) return false;
		sb_puts(sb, v->core_limit); return true;
	case 'e': if (!v->comm) return false;
		put_escaped_name(sb, v->comm); return true;
	case 'h': if (!v->hostname) return false;
		put_escaped_name(sb, v->hostname); return true;
	case 'E': if (!v->exe) return false;
		put_escaped_name(sb, v->exe); return true;
	case 'f': if (!v->exe) return false;
		s = strrchr(v->exe, '/');
		put_escaped_name(sb, s ? s + 1 : v->exe); return true;
	case 't': return false;  /* the second of the dump: not yet */
	default: return true;    /* the kernel drops an unknown one */
	}
}

bool ctx_expand_core_pattern(struct strbuf *sb, const char *pattern,
			     const struct core_vars *v)
{
	bool exact = true, pid_in_pattern = false;
	for (const char *p = pattern; *p; p++) {
		if (*p != '%') {
			sb_putc(sb, *p);
			continue;
		}
		char c = *++p;
		if (!c)
			break;  /* a lone '%' at the end: dropped */
		if (c == 'p')
			pid_in_pattern = true;
		if (!expand_one(sb, c, v)) {
			sb_putc(sb, '%');
			sb_putc(sb, c);
			exact = false;
		}
	}
	if (!pid_in_pattern && v->uses_pid) {
		if (v->pid < 0) {
			sb_puts(sb, ".%p");
			exact = false;
		} else {
			sb_printf(sb, ".%ld", v->pid);
		}
	}
	return exact;
}
