/* Library-call arguments and return values, by the function's prototype
 * (prototypes.tbl, proto.h); the six argument registers in hex for a
 * function without one. The API of ptrc/lcall.h: finding a prototype,
 * and the text of a call at its entry, its return, for --json, and -e
 * dump's hex dumps. */
#include "ptrc/lcall.h"

#include <stdlib.h>
#include <string.h>

#include "format_call.h"

/* -e dump: no more of one buffer than this, whatever length it claims. */
#define DUMP_MAX (1024 * 1024)

/* ---- finding a prototype ---- */

static int proto_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct lcall_proto *)elem)->name);
}

/* By name; failing that, without leading underscores (glibc's
 * __res_query for res_query). */
const struct lcall_proto *lcall_proto_find(const char *name)
{
	const struct lcall_proto *p = bsearch(name, lcall_protos,
					      lcall_proto_count,
					      sizeof lcall_protos[0], proto_cmp);
	if (p || name[0] != '_')
		return p;
	while (*name == '_')
		name++;
	if (!*name)
		return NULL;
	return bsearch(name, lcall_protos, lcall_proto_count,
		       sizeof lcall_protos[0], proto_cmp);
}

/* ---- printing a call ---- */

unsigned lcall_decode_entry(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c)
{
	struct lcall_printer p;
	lcall_printer_init(&p, d, sb, c, false, 0);
	if (!c->proto) {
		for (unsigned i = 0; i < LCALL_MAX_ARGS; i++) {
			lcall_print_hex(sb, lcall_word(&p, c->args[i]));
			if (i + 1 < LCALL_MAX_ARGS)
				sb_puts(sb, ", ");
		}
		return LCALL_MAX_ARGS;
	}
	return lcall_print_args(&p, 0, true);
}

void lcall_decode_exit_args(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c, unsigned first,
			    uint64_t ret)
{
	if (!c->proto || first >= c->proto->nargs)
		return;
	struct lcall_printer p;
	lcall_printer_init(&p, d, sb, c, true, ret);
	p.ok = lcall_call_ok(&p);
	lcall_print_args(&p, first, false);
}

_Static_assert(LCALL_MAX_ITEMS == LCALL_MAX_ARGS + 1,
	       "an item per register, then the ellipsis");

static void add_item(struct lcall_item *items, unsigned *n, size_t start,
		     const struct strbuf *sb, uint64_t raw, bool has_raw)
{
	items[*n] = (struct lcall_item){ start, sb->len, raw, has_raw };
	(*n)++;
}

unsigned lcall_decode_items(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c, bool returned,
			    uint64_t ret, struct lcall_item *items)
{
	struct lcall_printer in, out;
	lcall_printer_init(&in, d, sb, c, false, 0);
	lcall_printer_init(&out, d, sb, c, true, ret);
	unsigned n = 0;
	if (!c->proto) {
		for (unsigned i = 0; i < LCALL_MAX_ARGS; i++) {
			size_t start = sb->len;
			lcall_print_hex(sb, lcall_word(&in, c->args[i]));
			add_item(items, &n, start, sb, lcall_word(&in, c->args[i]), true);
		}
		return n;
	}
	out.ok = lcall_call_ok(&out);
	const struct lcall_proto *proto = c->proto;
	struct lcall_layout l;
	lcall_make_layout(&in, &l);
	for (unsigned i = 0; i < proto->nargs; i++) {
		const struct lcall_arg *a = &proto->args[i];
		bool at_exit = lcall_prints_at_exit(a->type);
		if (at_exit && !returned)
			return n;
		if (l.omit[i])
			continue;
		size_t start = sb->len;
		lcall_print_value(at_exit ? &out : &in, a, i, c->args[i]);
		add_item(items, &n, start, sb, lcall_word(&in, c->args[i]), true);
	}
	for (unsigned k = 0; k < l.raw; k++) {
		uint64_t v = lcall_word(&in, c->args[proto->nargs + k]);
		size_t start = sb->len;
		lcall_print_hex(sb, v);
		add_item(items, &n, start, sb, v, true);
	}
	if (l.ellipsis) {
		size_t start = sb->len;
		sb_puts(sb, "...");
		add_item(items, &n, start, sb, 0, false);
	}
	return n;
}

void lcall_decode_return(struct decoder *d, struct strbuf *sb,
			 const struct lcall_call *c, uint64_t ret)
{
	struct lcall_printer p;
	lcall_printer_init(&p, d, sb, c, true, ret);
	if (!c->proto) {
		lcall_print_hex(sb, lcall_word(&p, ret));
		return;
	}
	p.ok = lcall_call_ok(&p);
	lcall_print_value(&p, &c->proto->ret, LCALL_MAX_ARGS, ret);
}

void lcall_decode_dumps(struct decoder *d, struct strbuf *sb,
			const struct lcall_call *c, bool exiting, uint64_t ret)
{
	if (!c->proto || !d->config->lcall_dump)
		return;
	struct lcall_printer p;
	lcall_printer_init(&p, d, sb, c, exiting, ret);
	if (exiting && !lcall_call_ok(&p))
		return;
	for (unsigned i = 0; i < c->proto->nargs; i++) {
		const struct lcall_arg *a = &c->proto->args[i];
		uint64_t addr = lcall_word(&p, c->args[i]), len;
		if (a->type != (exiting ? LT_OBUF : LT_IBUF) || !addr ||
		    !lcall_ref_value(&p, a, &len) || len == 0)
			continue;
		decode_hexdump(sb, c->tid, addr, len < DUMP_MAX ? len : DUMP_MAX);
	}
}
