/* One library-call value (an argument or the return value) printed as its
 * prototype's type says: numbers and flags from the register, the memory
 * it points to, or what the call filled. The decode layer's printers do
 * the strings, buffers, sockaddrs and flags. */
#include "format_call.h"

#include <netdb.h>
#include <sys/socket.h>
#include <syslog.h>

#include "ptrc/mem.h"
#include "ptrc/names.h"
#include "../decode/flags.h"
#include "../decode/structs.h"
#include "xlat_tables.h"

/* Paths print whole, as strace prints them. */
#define PATH_LIMIT 4096

/* One value being printed. */
struct value {
	const struct lcall_printer *p;
	const struct lcall_arg *a;
	unsigned index;      /* the argument; LCALL_MAX_ARGS: the return */
	uint64_t v;          /* the register, cut to the tracee's word */
	int64_t s;           /* the register as the type reads it */
	struct arg_ctx ax;   /* the decode layer's view of it */
};

/* ---- helpers ---- */

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

static void print_errnum(struct strbuf *sb, int64_t s)
{
	const char *name = errno_name((long)s);
	if (name)
		sb_puts(sb, name);
	else
		sb_printf(sb, "%d", (int)s);
}

/* A getaddrinfo error: its name; as a return value (INDEX
 * LCALL_MAX_ARGS), "-2 EAI_NONAME (Name or service not known)". */
static void print_eai(struct strbuf *sb, int64_t s, unsigned index)
{
	const char *name = eai_name(s);
	if (index == LCALL_MAX_ARGS) {
		sb_printf(sb, "%d", (int)s);
		if (name)
			sb_printf(sb, " %s (%s)", name, gai_strerror((int)s));
	} else if (name) {
		sb_puts(sb, name);
	} else {
		sb_printf(sb, "%d", (int)s);
	}
}

/* ---- types filled by the call ---- */

static void print_out_word(const struct lcall_printer *p, uint64_t addr,
			   unsigned size, bool is_signed_int)
{
	uint64_t v;
	if (!addr || mem_read_word(p->c->tid, addr, size, &v) < 0) {
		struct arg_ctx ax = lcall_arg_ctx(p, 0, addr);
		ctx_print_ptr(&ax, addr);
		return;
	}
	if (is_signed_int)
		sb_printf(p->sb, "[%d]", (int32_t)v);
	else
		sb_printf(p->sb, "[%llu]", (unsigned long long)v);
}

/* A char ** or struct addrinfo ** the call stored: [value]. */
static bool read_out_pointer(const struct lcall_printer *p, uint64_t addr,
			     uint64_t *v)
{
	return addr && mem_read_word(p->c->tid, addr, lcall_word_size(p), v) == 0;
}

/* ---- the three kinds of type ---- */

/* Numbers, flags and enums, from the register. False: not such a type. */
static bool print_register_type(const struct value *x)
{
	struct strbuf *sb = x->p->sb;
	enum xlat_style style = x->p->d->config->xlat_style;
	int64_t s = x->s;
	uint64_t domain;
	switch ((enum lcall_type)x->a->type) {
	case LT_INT:
	case LT_BOOL:
		sb_printf(sb, "%d", (int)s);
		return true;
	case LT_UINT:
		sb_printf(sb, "%u", (unsigned)s);
		return true;
	case LT_LONG:
		sb_printf(sb, "%lld", (long long)s);
		return true;
	case LT_ULONG:
		sb_printf(sb, "%llu", (unsigned long long)x->v);
		return true;
	case LT_HEX:
		lcall_print_hex(sb, x->v);
		return true;
	case LT_PTR:
		ctx_print_ptr(&x->ax, x->v);
		return true;
	case LT_FD:
		decode_fd(sb, x->p->c->tid, (int)s,
			  x->p->d->config->decode_fds);
		return true;
	case LT_ERRNUM:
		print_errnum(sb, s);
		return true;
	case LT_EAI:
		print_eai(sb, s, x->index);
		return true;
	case LT_MODE:
		sb_printf(sb, "%#03o", (unsigned)s);
		return true;
	case LT_OFLAGS:
		print_open_flags(sb, style, (uint32_t)s);
		return true;
	case LT_SOCK_TYPE: {
		struct arg_ctx ax = x->ax;
		ax.value = (uint32_t)s;
		print_sock_type(&ax);
		return true;
	}
	case LT_SOCK_PROTO:
		if (lcall_ref_value(x->p, x->a, &domain))
			print_sock_proto_in(sb, style, (int64_t)domain,
					    (uint32_t)s);
		else
			sb_printf(sb, "%d", (int)s);
		return true;
	case LT_SYSLOG_PRI:
		print_syslog_pri(sb, style, (uint32_t)s);
		return true;
	case LT_FLAGS:
		print_flags(sb, style, x->a->table, (uint32_t)s);
		return true;
	case LT_ENUM:
		/* sign-extended: tables of negative values match */
		print_enum(sb, style, x->a->table, (uint64_t)s, NULL);
		return true;
	default:
		return false;
	}
}

/* What the argument points to: strings, buffers, structures. False: not
 * such a type. */
static bool print_memory_type(const struct value *x)
{
	const struct arg_ctx *ax = &x->ax;
	uint64_t v = x->v, len;
	switch ((enum lcall_type)x->a->type) {
	case LT_STR:
	case LT_FMT:
		ctx_print_cstring(ax, v, x->p->d->config->string_limit);
		return true;
	case LT_PATH:
		ctx_print_cstring(ax, v, PATH_LIMIT);
		return true;
	case LT_IBUF:
	case LT_OBUF:
		if (lcall_ref_value(x->p, x->a, &len))
			ctx_print_data(ax, v, len);
		else
			ctx_print_ptr(ax, v);
		return true;
	case LT_SOCKADDR:
	case LT_SOCKADDR_OUT:
		if (lcall_ref_value(x->p, x->a, &len))
			ctx_print_sockaddr(ax, v, len);
		else
			ctx_print_ptr(ax, v);
		return true;
	case LT_ADDRINFO:
		lcall_print_addrinfo_hints(ax, v);
		return true;
	case LT_ARGV:
		print_argv(ax);
		return true;
	case LT_ENVP:
		print_envp(ax);
		return true;
	case LT_HOSTENT:
		lcall_print_hostent(ax, v);
		return true;
	case LT_PASSWD:
		lcall_print_passwd(ax, v);
		return true;
	case LT_GROUP:
		lcall_print_group(ax, v);
		return true;
	default:
		return false;
	}
}

/* LT_OSTR: a string the call wrote, at most as long as its buffer. */
static void print_out_string(const struct value *x)
{
	uint64_t limit = x->p->d->config->string_limit, len;
	if (x->a->ref != LREF_NONE) {
		if (!lcall_ref_value(x->p, x->a, &len) || len == 0) {
			ctx_print_ptr(&x->ax, x->v);
			return;
		}
		if (len < limit)
			limit = len;
	}
	ctx_print_cstring(&x->ax, x->v, (size_t)limit);
}

/* What the call filled (it succeeded, the pointer is not NULL), and
 * void. False: not such a type. */
static bool print_filled_type(const struct value *x)
{
	const struct lcall_printer *p = x->p;
	uint64_t v = x->v, stored;
	switch ((enum lcall_type)x->a->type) {
	case LT_OSTR:
		print_out_string(x);
		return true;
	case LT_INT_OUT:
		print_out_word(p, v, 4, true);
		return true;
	case LT_SIZE_OUT:
		print_out_word(p, v, lcall_word_size(p), false);
		return true;
	case LT_SOCKLEN_OUT:
		print_out_word(p, v, 4, false);
		return true;
	case LT_ADDRINFO_OUT:
		if (!read_out_pointer(p, v, &stored))
			ctx_print_ptr(&x->ax, v);
		else
			lcall_print_addrinfo_list(&x->ax, lcall_word(p, stored));
		return true;
	case LT_STRP_OUT:
		if (!read_out_pointer(p, v, &stored)) {
			ctx_print_ptr(&x->ax, v);
			return true;
		}
		sb_putc(p->sb, '[');
		ctx_print_cstring(&x->ax, lcall_word(p, stored),
				  p->d->config->string_limit);
		sb_putc(p->sb, ']');
		return true;
	case LT_VOID:
		sb_puts(p->sb, "<void>");
		return true;
	default:
		return false;
	}
}

void lcall_print_value(const struct lcall_printer *p, const struct lcall_arg *a,
		       unsigned index, uint64_t raw)
{
	struct value x = {
		.p = p, .a = a, .index = index,
		.v = lcall_word(p, raw),
		.s = lcall_svalue(p, a->type, raw),
	};
	x.ax = lcall_arg_ctx(p, index, x.v);

	/* what the call fills shows only when it succeeded */
	if (lcall_prints_at_exit(a->type) && (!p->exiting || !p->ok || !x.v)) {
		ctx_print_ptr(&x.ax, x.v);
		return;
	}
	if (print_register_type(&x) || print_memory_type(&x) ||
	    print_filled_type(&x))
		return;
	lcall_print_hex(p->sb, x.v);
}
