/* Syscall arguments and return values, by argument kind. Each kind has a
 * base representation (argkinds.tbl); kinds with richer decoders are
 * dispatched before the base. */
#include "ptrc/decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/mem.h"
#include "ptrc/names.h"

/* Paths are printed whole, as strace does, up to PATH_MAX. */
#define PATH_LIMIT 4096
#define AT_FDCWD_VALUE (-100)

void decoder_init(struct decoder *d, const struct ptrc_config *config)
{
	d->config = config;
	d->scratch = NULL;
	d->scratch_cap = 0;
}

void decoder_free(struct decoder *d)
{
	free(d->scratch);
	d->scratch = NULL;
	d->scratch_cap = 0;
}

static char *scratch(struct decoder *d, size_t size)
{
	if (size > d->scratch_cap) {
		char *p = realloc(d->scratch, size);
		if (!p) {
			fputs("ptrc: out of memory\n", stderr);
			abort();
		}
		d->scratch = p;
		d->scratch_cap = size;
	}
	return d->scratch;
}

const char *syscall_display_name(const struct syscall_call *call,
				 char buf[static 32])
{
	if (call->sig)
		return call->sig->name;
	snprintf(buf, 32, "syscall_%#llx", (unsigned long long)call->nr);
	return buf;
}

/* The argument as the tracee's word size sees it. */
static uint64_t word(const struct syscall_call *call, uint64_t value)
{
	return arch_word_size(call->arch) == 4 ? (uint32_t)value : value;
}

static int64_t signed_word(const struct syscall_call *call, uint64_t value)
{
	return arch_word_size(call->arch) == 4 ? (int32_t)value : (int64_t)value;
}

static void print_ptr(struct strbuf *sb, const struct syscall_call *call,
		      uint64_t value)
{
	value = word(call, value);
	if (value == 0)
		sb_puts(sb, "NULL");
	else
		sb_printf(sb, "%#llx", (unsigned long long)value);
}

/* A NUL-terminated string of at most LIMIT bytes; the address when it
 * cannot be read. */
static void print_cstring(struct decoder *d, struct strbuf *sb,
			  const struct syscall_call *call, uint64_t addr,
			  size_t limit)
{
	addr = word(call, addr);
	if (!addr) {
		sb_puts(sb, "NULL");
		return;
	}
	char *buf = scratch(d, limit + 1);
	bool terminated;
	ssize_t n = mem_read_str(call->tid, addr, buf, limit, &terminated);
	if (n < 0) {
		print_ptr(sb, call, addr);
		return;
	}
	escape_quoted(sb, buf, (size_t)n, d->config->escape, !terminated);
}

/* LEN bytes of data at ADDR, cut at -s. */
static void print_data(struct decoder *d, struct strbuf *sb,
		       const struct syscall_call *call, uint64_t addr,
		       uint64_t len)
{
	addr = word(call, addr);
	if (!addr) {
		sb_puts(sb, "NULL");
		return;
	}
	size_t limit = d->config->string_limit;
	size_t want = len < limit ? (size_t)len : limit;
	char *buf = scratch(d, want + 1);
	ssize_t n = mem_read(call->tid, addr, buf, want);
	if (n < 0 || (size_t)n < want) {
		print_ptr(sb, call, addr);
		return;
	}
	escape_quoted(sb, buf, want, d->config->escape, len > want);
}

static void print_arg(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call, unsigned i,
		      int64_t rval, bool is_error)
{
	const struct syscall_sig *sig = call->sig;
	uint64_t value = call->args[i];
	uint8_t aux = sig->aux[i];
	const struct arg_kind_info *kind = &arg_kinds[sig->kinds[i]];

	switch (kind->base) {
	case BASE_DEC:
		sb_printf(sb, "%d", (int)value);
		return;
	case BASE_LDEC:
		sb_printf(sb, "%lld", (long long)signed_word(call, value));
		return;
	case BASE_UDEC:
		sb_printf(sb, "%llu", (unsigned long long)word(call, value));
		return;
	case BASE_HEX:
		value = word(call, value);
		if (value)
			sb_printf(sb, "%#llx", (unsigned long long)value);
		else
			sb_putc(sb, '0');
		return;
	case BASE_OCT:
		sb_printf(sb, "%#03llo", (unsigned long long)word(call, value));
		return;
	case BASE_PTR:
		print_ptr(sb, call, value);
		return;
	case BASE_FD:
		if (sig->kinds[i] == ARG_DIRFD && (int)value == AT_FDCWD_VALUE)
			sb_puts(sb, "AT_FDCWD");
		else
			sb_printf(sb, "%d", (int)value);
		return;
	case BASE_PATH:
		print_cstring(d, sb, call, value, PATH_LIMIT);
		return;
	case BASE_STR:
		print_cstring(d, sb, call, value, d->config->string_limit);
		return;
	case BASE_IBUF:
		if (aux < sig->nargs)
			print_data(d, sb, call, value, word(call, call->args[aux]));
		else
			print_ptr(sb, call, value);
		return;
	case BASE_OBUF:
		if (is_error || rval < 0)
			print_ptr(sb, call, value);
		else
			print_data(d, sb, call, value, (uint64_t)rval);
		return;
	}
	print_ptr(sb, call, value);
}

unsigned decode_entry(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call)
{
	char name_buf[32];
	sb_puts(sb, syscall_display_name(call, name_buf));
	sb_putc(sb, '(');
	if (!call->sig) {
		/* Unknown number: all six registers, raw. */
		for (unsigned i = 0; i < SYSCALL_MAX_ARGS; i++)
			sb_printf(sb, i ? ", %#llx" : "%#llx",
				  (unsigned long long)word(call, call->args[i]));
		return SYSCALL_MAX_ARGS;
	}
	unsigned i;
	for (i = 0; i < call->sig->nargs; i++) {
		if (arg_kinds[call->sig->kinds[i]].when == ARG_AT_EXIT)
			break;
		print_arg(d, sb, call, i, 0, false);
		if (i + 1 < call->sig->nargs)
			sb_puts(sb, ", ");
	}
	return i;
}

void decode_exit_args(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call, unsigned first,
		      int64_t rval, bool is_error)
{
	if (!call->sig)
		return;
	for (unsigned i = first; i < call->sig->nargs; i++) {
		print_arg(d, sb, call, i, rval, is_error);
		if (i + 1 < call->sig->nargs)
			sb_puts(sb, ", ");
	}
}

void decode_return(struct strbuf *sb, const struct syscall_call *call,
		   int64_t rval, bool is_error)
{
	if (is_error) {
		long err = (long)-rval;
		const char *name = errno_name(err);
		const char *message = errno_message(err);
		/* The ERESTART* values never reach the program: strace shows
		 * them with "?" rather than -1. */
		sb_puts(sb, err >= 512 ? "? " : "-1 ");
		if (name)
			sb_puts(sb, name);
		else
			sb_printf(sb, "errno %ld", err);
		if (message)
			sb_printf(sb, " (%s)", message);
		return;
	}
	enum ret_kind ret = call->sig ? call->sig->ret : RET_INT;
	switch (ret) {
	case RET_HEX:
		sb_printf(sb, "%#llx", (unsigned long long)word(call, (uint64_t)rval));
		return;
	case RET_OCT:
		sb_printf(sb, "%#03llo", (unsigned long long)word(call, (uint64_t)rval));
		return;
	case RET_UINT:
		sb_printf(sb, "%llu", (unsigned long long)word(call, (uint64_t)rval));
		return;
	case RET_NONE:
	case RET_INT:
	case RET_FD:
		sb_printf(sb, "%lld", (long long)signed_word(call, (uint64_t)rval));
		return;
	}
}
