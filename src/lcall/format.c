/* Library-call arguments and return values, by the function's prototype
 * (prototypes.tbl, proto.h); the six argument registers in hex for a
 * function without one. The decode layer's printers do the strings,
 * buffers, sockaddrs and flags. */
#include "ptrc/lcall.h"

#include <fcntl.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>

#include "ptrc/mem.h"
#include "ptrc/names.h"
#include "../decode/flags.h"
#include "../decode/structs.h"
#include "proto.h"
#include "xlat_tables.h"

/* Paths print whole, as strace prints them. */
#define PATH_LIMIT 4096
/* How much of a format string is scanned for its conversions. */
#define FMT_SCAN_MAX 1024
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

/* ---- one call being printed ---- */

struct pr {
	struct decoder *d;
	struct strbuf *sb;
	const struct lcall_call *c;
	struct syscall_call sc;  /* tid, arch and registers for the decode
				  * layer's helpers (no signature) */
	bool exiting;
	uint64_t ret;
	bool ok;                 /* exiting: the call succeeded */
};

static void pr_init(struct pr *p, struct decoder *d, struct strbuf *sb,
		    const struct lcall_call *c, bool exiting, uint64_t ret)
{
	p->d = d;
	p->sb = sb;
	p->c = c;
	p->sc = (struct syscall_call){ .tid = c->tid, .arch = c->arch,
				       .args = c->args };
	p->exiting = exiting;
	p->ret = ret;
	p->ok = true;
}

/* The decode layer's view of one value. */
static struct arg_ctx actx(const struct pr *p, unsigned index, uint64_t value)
{
	return (struct arg_ctx){ .d = p->d, .sb = p->sb, .call = &p->sc,
				 .index = index, .value = value,
				 .exiting = p->exiting, .rval = (int64_t)p->ret,
				 .is_error = !p->ok };
}

static unsigned word_size(const struct pr *p)
{
	return arch_word_size(p->c->arch);
}

static uint64_t word(const struct pr *p, uint64_t v)
{
	return word_size(p) == 4 ? (uint32_t)v : v;
}

static bool is_int32(enum lcall_type t)
{
	switch (t) {
	case LT_INT: case LT_BOOL: case LT_FD: case LT_ERRNUM: case LT_EAI:
	case LT_SOCK_PROTO: case LT_ENUM:
		return true;
	default:
		return false;
	}
}

static bool is_uint32(enum lcall_type t)
{
	switch (t) {
	case LT_UINT: case LT_MODE: case LT_OFLAGS: case LT_SOCK_TYPE:
	case LT_SYSLOG_PRI: case LT_FLAGS:
		return true;
	default:
		return false;
	}
}

/* RAW as type T reads it, sign-extended: ints are the register's low 32
 * bits, longs and pointers the tracee's word. */
static int64_t svalue(const struct pr *p, enum lcall_type t, uint64_t raw)
{
	if (is_int32(t))
		return (int32_t)raw;
	if (is_uint32(t))
		return (uint32_t)raw;
	if (t == LT_LONG)
		return word_size(p) == 4 ? (int32_t)raw : (int64_t)raw;
	return (int64_t)word(p, raw);
}

static bool is_signed(enum lcall_type t)
{
	return is_int32(t) || t == LT_LONG;
}

/* The types the call fills, printed when it returns. */
static bool prints_at_exit(enum lcall_type t)
{
	switch (t) {
	case LT_OBUF: case LT_OSTR: case LT_INT_OUT: case LT_SIZE_OUT:
	case LT_SOCKLEN_OUT: case LT_SOCKADDR_OUT: case LT_ADDRINFO_OUT:
	case LT_STRP_OUT:
		return true;
	default:
		return false;
	}
}

/* Whether the call succeeded, by its return type. */
static bool call_ok(const struct pr *p)
{
	const struct lcall_arg *r = &p->c->proto->ret;
	int64_t v = svalue(p, r->type, p->ret);
	switch ((enum lcall_type)r->type) {
	case LT_BOOL: case LT_PTR: case LT_STR: case LT_PATH: case LT_HOSTENT:
	case LT_PASSWD: case LT_GROUP:
		return v != 0;
	default:
		return !is_signed(r->type) || v >= 0;
	}
}

/* The length (or other value) A refers to; false when it has none, it is
 * negative (a signed type) or cannot be read. */
static bool ref_value(const struct pr *p, const struct lcall_arg *a,
		      uint64_t *out)
{
	const struct lcall_proto *proto = p->c->proto;
	enum lcall_type t;
	int64_t v;
	switch ((enum lcall_ref)a->ref) {
	case LREF_ARG:
		if (a->index >= proto->nargs)
			return false;
		t = proto->args[a->index].type;
		v = svalue(p, t, p->c->args[a->index]);
		break;
	case LREF_RET:
		if (!p->exiting)
			return false;
		t = proto->ret.type;
		v = svalue(p, t, p->ret);
		break;
	case LREF_DEREF: {
		if (a->index >= proto->nargs)
			return false;
		enum lcall_type pointed = proto->args[a->index].type;
		uint64_t addr = word(p, p->c->args[a->index]);
		unsigned size = pointed == LT_SIZE_OUT ? word_size(p) : 4;
		uint64_t u;
		if (!addr || mem_read_word(p->c->tid, addr, size, &u) < 0)
			return false;
		/* as the pointed-to type: int, size_t, socklen_t */
		t = pointed == LT_INT_OUT ? LT_INT : LT_ULONG;
		v = svalue(p, t, u);
		break;
	}
	default:
		return false;
	}
	if (is_signed(t) && v < 0)
		return false;
	*out = (uint64_t)v;
	return true;
}

/* ---- types printed from the register ---- */

static void print_hex(struct strbuf *sb, uint64_t v)
{
	if (v)
		sb_printf(sb, "%#llx", (unsigned long long)v);
	else
		sb_putc(sb, '0');
}

/* "LOG_MAIL|LOG_INFO"; the level alone for LOG_KERN (0). */
static void print_syslog_pri(struct strbuf *sb, enum xlat_style style,
			     uint32_t v)
{
	size_t mark = xlat_start(sb);
	uint32_t fac = v & LOG_FACMASK, rest = v & ~(LOG_FACMASK | LOG_PRIMASK);
	if (fac) {
		print_enum(sb, XLAT_STYLE_ABBREV, &xlat_syslog_facility, fac, NULL);
		sb_putc(sb, '|');
	}
	print_enum(sb, XLAT_STYLE_ABBREV, &xlat_syslog_level, v & LOG_PRIMASK, NULL);
	if (rest)
		sb_printf(sb, "|%#x", rest);
	xlat_finish(sb, style, mark, v);
}

static void print_sock_proto_in(struct strbuf *sb, enum xlat_style style,
				int64_t domain, uint32_t proto)
{
	switch (domain) {
	case AF_INET:
	case AF_INET6:
		print_enum(sb, style, &xlat_inet_proto, proto, NULL);
		return;
	case AF_NETLINK:
		print_enum(sb, style, &xlat_netlink_proto, proto, NULL);
		return;
	default:
		sb_printf(sb, "%d", (int)proto);
	}
}

/* The name of a getaddrinfo error, or NULL (0 is no error). */
static const char *eai_name(int64_t v)
{
	return v ? xlat_name(&xlat_eai_code, (uint64_t)v) : NULL;
}

/* ---- types filled by the call ---- */

static void print_out_word(const struct pr *p, uint64_t addr, unsigned size,
			   bool is_signed_int)
{
	uint64_t v;
	if (!addr || mem_read_word(p->c->tid, addr, size, &v) < 0) {
		struct arg_ctx ax = actx(p, 0, addr);
		ctx_print_ptr(&ax, addr);
		return;
	}
	if (is_signed_int)
		sb_printf(p->sb, "[%d]", (int32_t)v);
	else
		sb_printf(p->sb, "[%llu]", (unsigned long long)v);
}

/* A char ** or struct addrinfo ** the call stored: [value]. */
static bool read_out_pointer(const struct pr *p, uint64_t addr, uint64_t *v)
{
	return addr && mem_read_word(p->c->tid, addr, word_size(p), v) == 0;
}

/* ---- one value of a type ---- */

/* Print RAW, the value of argument INDEX (LCALL_MAX_ARGS: the return
 * value), as A's type says. */
static void print_value(const struct pr *p, const struct lcall_arg *a,
			unsigned index, uint64_t raw)
{
	struct strbuf *sb = p->sb;
	enum lcall_type t = a->type;
	uint64_t v = word(p, raw);
	int64_t s = svalue(p, t, raw);
	struct arg_ctx ax = actx(p, index, v);
	const struct ptrc_config *cfg = p->d->config;
	uint64_t len;

	/* what the call fills shows only when it succeeded */
	if (prints_at_exit(t) && (!p->exiting || !p->ok || !v)) {
		ctx_print_ptr(&ax, v);
		return;
	}

	switch (t) {
	case LT_INT:
	case LT_BOOL:
		sb_printf(sb, "%d", (int)s);
		return;
	case LT_UINT:
		sb_printf(sb, "%u", (unsigned)s);
		return;
	case LT_LONG:
		sb_printf(sb, "%lld", (long long)s);
		return;
	case LT_ULONG:
		sb_printf(sb, "%llu", (unsigned long long)v);
		return;
	case LT_HEX:
		print_hex(sb, v);
		return;
	case LT_PTR:
		ctx_print_ptr(&ax, v);
		return;
	case LT_FD:
		decode_fd(sb, p->c->tid, (int)s, cfg->decode_fds);
		return;
	case LT_ERRNUM: {
		const char *name = errno_name((long)s);
		if (name)
			sb_puts(sb, name);
		else
			sb_printf(sb, "%d", (int)s);
		return;
	}
	case LT_EAI: {
		const char *name = eai_name(s);
		if (index == LCALL_MAX_ARGS) {
			/* a return: "-2 EAI_NONAME (Name or service not known)" */
			sb_printf(sb, "%d", (int)s);
			if (name)
				sb_printf(sb, " %s (%s)", name, gai_strerror((int)s));
		} else if (name) {
			sb_puts(sb, name);
		} else {
			sb_printf(sb, "%d", (int)s);
		}
		return;
	}
	case LT_MODE:
		sb_printf(sb, "%#03o", (unsigned)s);
		return;
	case LT_OFLAGS:
		print_open_flags(sb, cfg->xlat_style, (uint32_t)s);
		return;
	case LT_SOCK_TYPE:
		ax.value = (uint32_t)s;
		print_sock_type(&ax);
		return;
	case LT_SOCK_PROTO: {
		uint64_t domain;
		if (ref_value(p, a, &domain))
			print_sock_proto_in(sb, cfg->xlat_style, (int64_t)domain, (uint32_t)s);
		else
			sb_printf(sb, "%d", (int)s);
		return;
	}
	case LT_SYSLOG_PRI:
		print_syslog_pri(sb, cfg->xlat_style, (uint32_t)s);
		return;
	case LT_FLAGS:
		print_flags(sb, cfg->xlat_style, a->table, (uint32_t)s);
		return;
	case LT_ENUM:
		/* sign-extended: tables of negative values match */
		print_enum(sb, cfg->xlat_style, a->table, (uint64_t)s, NULL);
		return;
	case LT_STR:
	case LT_FMT:
		ctx_print_cstring(&ax, v, cfg->string_limit);
		return;
	case LT_PATH:
		ctx_print_cstring(&ax, v, PATH_LIMIT);
		return;
	case LT_IBUF:
	case LT_OBUF:
		if (ref_value(p, a, &len))
			ctx_print_data(&ax, v, len);
		else
			ctx_print_ptr(&ax, v);
		return;
	case LT_SOCKADDR:
	case LT_SOCKADDR_OUT:
		if (ref_value(p, a, &len))
			ctx_print_sockaddr(&ax, v, len);
		else
			ctx_print_ptr(&ax, v);
		return;
	case LT_ADDRINFO:
		lc_print_addrinfo_hints(&ax, v);
		return;
	case LT_ARGV:
		print_argv(&ax);
		return;
	case LT_ENVP:
		print_envp(&ax);
		return;
	case LT_HOSTENT:
		lc_print_hostent(&ax, v);
		return;
	case LT_PASSWD:
		lc_print_passwd(&ax, v);
		return;
	case LT_GROUP:
		lc_print_group(&ax, v);
		return;
	case LT_OSTR: {
		uint64_t limit = cfg->string_limit;
		if (a->ref != LREF_NONE) {
			if (!ref_value(p, a, &len) || len == 0) {
				ctx_print_ptr(&ax, v);
				return;
			}
			if (len < limit)
				limit = len;
		}
		ctx_print_cstring(&ax, v, (size_t)limit);
		return;
	}
	case LT_INT_OUT:
		print_out_word(p, v, 4, true);
		return;
	case LT_SIZE_OUT:
		print_out_word(p, v, word_size(p), false);
		return;
	case LT_SOCKLEN_OUT:
		print_out_word(p, v, 4, false);
		return;
	case LT_ADDRINFO_OUT: {
		uint64_t head;
		if (!read_out_pointer(p, v, &head)) {
			ctx_print_ptr(&ax, v);
			return;
		}
		lc_print_addrinfo_list(&ax, word(p, head));
		return;
	}
	case LT_STRP_OUT: {
		uint64_t str;
		if (!read_out_pointer(p, v, &str)) {
			ctx_print_ptr(&ax, v);
			return;
		}
		sb_putc(sb, '[');
		ctx_print_cstring(&ax, word(p, str), cfg->string_limit);
		sb_putc(sb, ']');
		return;
	}
	case LT_VOID:
		sb_puts(sb, "<void>");
		return;
	}
	print_hex(sb, v);
}

/* ---- which arguments print, and when ---- */

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

/* The items of the argument list: the fixed arguments (some left out),
 * then the registers a variadic function's `...` shows raw, then "...". */
struct layout {
	bool omit[LCALL_MAX_ARGS];
	unsigned raw;      /* registers after the fixed arguments, in hex */
	bool ellipsis;     /* "..." last */
};

static void make_layout(const struct pr *p, struct layout *l)
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
		uint64_t addr = word(p, p->c->args[i]);
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
static bool shown_after(const struct pr *p, const struct layout *l,
			unsigned i)
{
	for (unsigned j = i + 1; j < p->c->proto->nargs; j++)
		if (!l->omit[j])
			return true;
	return l->raw || l->ellipsis;
}

static void print_tail(const struct pr *p, const struct layout *l)
{
	unsigned first = p->c->proto->nargs;
	for (unsigned k = 0; k < l->raw; k++) {
		print_hex(p->sb, word(p, p->c->args[first + k]));
		if (k + 1 < l->raw || l->ellipsis)
			sb_puts(p->sb, ", ");
	}
	if (l->ellipsis)
		sb_puts(p->sb, "...");
}

/* Arguments FIRST to the end of the list, or up to the first one printed
 * at exit (STOP_AT_EXIT). Returns where it stopped. */
static unsigned print_args(const struct pr *p, unsigned first,
			   bool stop_at_exit)
{
	const struct lcall_proto *proto = p->c->proto;
	struct layout l;
	make_layout(p, &l);
	unsigned i;
	for (i = first; i < proto->nargs; i++) {
		const struct lcall_arg *a = &proto->args[i];
		if (stop_at_exit && prints_at_exit(a->type))
			return i;
		if (l.omit[i])
			continue;
		print_value(p, a, i, p->c->args[i]);
		if (shown_after(p, &l, i))
			sb_puts(p->sb, ", ");
	}
	print_tail(p, &l);
	return i;
}

/* ---- the API (lcall.h) ---- */

unsigned lcall_decode_entry(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c)
{
	struct pr p;
	pr_init(&p, d, sb, c, false, 0);
	if (!c->proto) {
		for (unsigned i = 0; i < LCALL_MAX_ARGS; i++) {
			print_hex(sb, word(&p, c->args[i]));
			if (i + 1 < LCALL_MAX_ARGS)
				sb_puts(sb, ", ");
		}
		return LCALL_MAX_ARGS;
	}
	return print_args(&p, 0, true);
}

void lcall_decode_exit_args(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c, unsigned first,
			    uint64_t ret)
{
	if (!c->proto || first >= c->proto->nargs)
		return;
	struct pr p;
	pr_init(&p, d, sb, c, true, ret);
	p.ok = call_ok(&p);
	print_args(&p, first, false);
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
	struct pr in, out;
	pr_init(&in, d, sb, c, false, 0);
	pr_init(&out, d, sb, c, true, ret);
	unsigned n = 0;
	if (!c->proto) {
		for (unsigned i = 0; i < LCALL_MAX_ARGS; i++) {
			size_t start = sb->len;
			print_hex(sb, word(&in, c->args[i]));
			add_item(items, &n, start, sb, word(&in, c->args[i]), true);
		}
		return n;
	}
	out.ok = call_ok(&out);
	const struct lcall_proto *proto = c->proto;
	struct layout l;
	make_layout(&in, &l);
	for (unsigned i = 0; i < proto->nargs; i++) {
		const struct lcall_arg *a = &proto->args[i];
		bool at_exit = prints_at_exit(a->type);
		if (at_exit && !returned)
			return n;
		if (l.omit[i])
			continue;
		size_t start = sb->len;
		print_value(at_exit ? &out : &in, a, i, c->args[i]);
		add_item(items, &n, start, sb, word(&in, c->args[i]), true);
	}
	for (unsigned k = 0; k < l.raw; k++) {
		uint64_t v = word(&in, c->args[proto->nargs + k]);
		size_t start = sb->len;
		print_hex(sb, v);
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
	struct pr p;
	pr_init(&p, d, sb, c, true, ret);
	if (!c->proto) {
		print_hex(sb, word(&p, ret));
		return;
	}
	p.ok = call_ok(&p);
	print_value(&p, &c->proto->ret, LCALL_MAX_ARGS, ret);
}

void lcall_decode_dumps(struct decoder *d, struct strbuf *sb,
			const struct lcall_call *c, bool exiting, uint64_t ret)
{
	if (!c->proto || !d->config->lcall_dump)
		return;
	struct pr p;
	pr_init(&p, d, sb, c, exiting, ret);
	if (exiting && !call_ok(&p))
		return;
	for (unsigned i = 0; i < c->proto->nargs; i++) {
		const struct lcall_arg *a = &c->proto->args[i];
		uint64_t addr = word(&p, c->args[i]), len;
		if (a->type != (exiting ? LT_OBUF : LT_IBUF) || !addr ||
		    !ref_value(&p, a, &len) || len == 0)
			continue;
		decode_hexdump(sb, c->tid, addr, len < DUMP_MAX ? len : DUMP_MAX);
	}
}
