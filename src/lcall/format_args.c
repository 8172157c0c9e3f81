/* Which arguments of a library call print, and when: a mode left out
 * after open flags that do not use it, the registers a printf-like
 * function's format takes, "..." for the rest of a variadic call, and
 * the arguments the call fills left for its return. */
#include "format_call.h"

#include <fcntl.h>
#include <string.h>

#include "ptrc/mem.h"

/* How much of a format string is scanned for its conversions. */
#define FMT_SCAN_MAX 1024

/* How many integer-register arguments the conversions of FMT take: one
 * per conversion but %% and %m, none for floating point (which travel in
 * vector registers), one more per '*' width or precision. */
static unsigned fmt_int_args(const char *f)
{
	unsigned n = 0;
	while ((f = strchr(f, '%')) != NULL) {
		f++;
		if (*f == '%') {
			f++;
			continue;
		}
		/* flags, field width, precision, length modifiers */
		for (; *f && strchr("#0-+ 'I123456789.$*hlLqjzt", *f); f++)
			if (*f == '*')
				n++;
		if (!*f)
			break;
		if (!strchr("aAeEfFgGm", *f))
			n++;
		f++;
	}
	return n;
}

void lcall_make_layout(const struct lcall_printer *p, struct lcall_layout *l)
{
	const struct lcall_proto *proto = p->c->proto;
	unsigned n = proto->nargs;
	memset(l, 0, sizeof *l);
	/* a mode after open flags that neither create nor make a temp file */
	for (unsigned i = 0; i < n; i++) {
		if (proto->args[i].type != LT_OFLAGS)
			continue;
		uint32_t flags = (uint32_t)p->c->args[i];
		if (flags & O_CREAT || (flags & O_TMPFILE) == O_TMPFILE)
			continue;
		for (unsigned j = i + 1; j < n; j++)
			if (proto->args[j].type == LT_MODE)
				l->omit[j] = true;
	}
	if (!proto->variadic)
		return;
	l->ellipsis = true;
	for (unsigned i = 0; i < n; i++) {
		if (proto->args[i].type != LT_FMT)
			continue;
		uint64_t addr = lcall_word(p, p->c->args[i]);
		char fmt[FMT_SCAN_MAX + 1];
		bool terminated;
		if (!addr || mem_read_str(p->c->tid, addr, fmt, FMT_SCAN_MAX,
					  &terminated) < 0)
			break;
		unsigned want = fmt_int_args(fmt);
		unsigned avail = LCALL_MAX_ARGS - n;
		l->raw = want < avail ? want : avail;
		/* a format longer than the scan may want more */
		l->ellipsis = want > avail || !terminated;
		break;
	}
}

/* Whether any item follows argument I. */
static bool shown_after(const struct lcall_printer *p,
			const struct lcall_layout *l, unsigned i)
{
	for (unsigned j = i + 1; j < p->c->proto->nargs; j++)
		if (!l->omit[j])
			return true;
	return l->raw || l->ellipsis;
}

static void print_tail(const struct lcall_printer *p,
		       const struct lcall_layout *l)
{
	unsigned first = p->c->proto->nargs;
	for (unsigned k = 0; k < l->raw; k++) {
		lcall_print_hex(p->sb, lcall_word(p, p->c->args[first + k]));
		if (k + 1 < l->raw || l->ellipsis)
			sb_puts(p->sb, ", ");
	}
	if (l->ellipsis)
		sb_puts(p->sb, "...");
}

unsigned lcall_print_args(const struct lcall_printer *p, unsigned first,
			  bool stop_at_exit)
{
	const struct lcall_proto *proto = p->c->proto;
	struct lcall_layout l;
	lcall_make_layout(p, &l);
	unsigned i;
	for (i = first; i < proto->nargs; i++) {
		const struct lcall_arg *a = &proto->args[i];
		if (stop_at_exit && lcall_prints_at_exit(a->type))
			return i;
		if (l.omit[i])
			continue;
		lcall_print_value(p, a, i, p->c->args[i]);
		if (shown_after(p, &l, i))
			sb_puts(p->sb, ", ");
	}
	print_tail(p, &l);
	return i;
}
