/* One library call being printed: its arguments and return value read as
 * their prototype's types say (width, sign, what a length refers to). */
#include "format_call.h"

#include "ptrc/mem.h"
#include "ptrc/names.h"

void lcall_printer_init(struct lcall_printer *p, struct decoder *d,
			struct strbuf *sb, const struct lcall_call *c,
			bool exiting, uint64_t ret)
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
struct arg_ctx lcall_arg_ctx(const struct lcall_printer *p, unsigned index,
			     uint64_t value)
{
	return (struct arg_ctx){ .d = p->d, .sb = p->sb, .call = &p->sc,
				 .index = index, .value = value,
				 .exiting = p->exiting, .rval = (int64_t)p->ret,
				 .is_error = !p->ok };
}

unsigned lcall_word_size(const struct lcall_printer *p)
{
	return arch_word_size(p->c->arch);
}

uint64_t lcall_word(const struct lcall_printer *p, uint64_t v)
{
	return lcall_word_size(p) == 4 ? (uint32_t)v : v;
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
int64_t lcall_svalue(const struct lcall_printer *p, enum lcall_type t,
		     uint64_t raw)
{
	if (is_int32(t))
		return (int32_t)raw;
	if (is_uint32(t))
		return (uint32_t)raw;
	if (t == LT_LONG)
		return lcall_word_size(p) == 4 ? (int32_t)raw : (int64_t)raw;
	return (int64_t)lcall_word(p, raw);
}

static bool is_signed(enum lcall_type t)
{
	return is_int32(t) || t == LT_LONG;
}

/* The types the call fills, printed when it returns. */
bool lcall_prints_at_exit(enum lcall_type t)
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
bool lcall_call_ok(const struct lcall_printer *p)
{
	const struct lcall_arg *r = &p->c->proto->ret;
	int64_t v = lcall_svalue(p, r->type, p->ret);
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
bool lcall_ref_value(const struct lcall_printer *p, const struct lcall_arg *a,
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
		v = lcall_svalue(p, t, p->c->args[a->index]);
		break;
	case LREF_RET:
		if (!p->exiting)
			return false;
		t = proto->ret.type;
		v = lcall_svalue(p, t, p->ret);
		break;
	case LREF_DEREF: {
		if (a->index >= proto->nargs)
			return false;
		enum lcall_type pointed = proto->args[a->index].type;
		uint64_t addr = lcall_word(p, p->c->args[a->index]);
		unsigned size = pointed == LT_SIZE_OUT ? lcall_word_size(p) : 4;
		uint64_t u;
		if (!addr || mem_read_word(p->c->tid, addr, size, &u) < 0)
			return false;
		/* as the pointed-to type: int, size_t, socklen_t */
		t = pointed == LT_INT_OUT ? LT_INT : LT_ULONG;
		v = lcall_svalue(p, t, u);
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

void lcall_print_hex(struct strbuf *sb, uint64_t v)
{
	if (v)
		sb_printf(sb, "%#llx", (unsigned long long)v);
	else
		sb_putc(sb, '0');
}
