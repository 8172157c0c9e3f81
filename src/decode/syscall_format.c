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
#include "printers.h"

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

uint64_t ctx_arg(const struct arg_ctx *ctx, unsigned i)
{
	return i < SYSCALL_MAX_ARGS ? word(ctx->call, ctx->call->args[i]) : 0;
}

unsigned ctx_word_size(const struct arg_ctx *ctx)
{
	return arch_word_size(ctx->call->arch);
}

char *ctx_scratch(const struct arg_ctx *ctx, size_t size)
{
	return scratch(ctx->d, size);
}

void ctx_print_ptr(const struct arg_ctx *ctx, uint64_t addr)
{
	addr = word(ctx->call, addr);
	if (addr == 0)
		sb_puts(ctx->sb, "NULL");
	else
		sb_printf(ctx->sb, "%#llx", (unsigned long long)addr);
}

bool ctx_read(const struct arg_ctx *ctx, uint64_t addr, void *buf, size_t len)
{
	if (!addr)
		return false;
	return mem_read(ctx->call->tid, addr, buf, len) == (ssize_t)len;
}

void ctx_print_cstring(const struct arg_ctx *ctx, uint64_t addr, size_t limit)
{
	addr = word(ctx->call, addr);
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	char *buf = scratch(ctx->d, limit + 1);
	bool terminated;
	ssize_t n = mem_read_str(ctx->call->tid, addr, buf, limit, &terminated);
	if (n < 0) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	escape_quoted(ctx->sb, buf, (size_t)n, ctx->d->config->escape, !terminated);
}

void ctx_print_data(const struct arg_ctx *ctx, uint64_t addr, uint64_t len)
{
	addr = word(ctx->call, addr);
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	size_t limit = ctx->d->config->string_limit;
	size_t want = len < limit ? (size_t)len : limit;
	char *buf = scratch(ctx->d, want + 1);
	ssize_t n = mem_read(ctx->call->tid, addr, buf, want);
	if (n < 0 || (size_t)n < want) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	escape_quoted(ctx->sb, buf, want, ctx->d->config->escape, len > want);
}

/* The plain representation of a kind without a richer printer. */
static void print_base(const struct arg_ctx *ctx, enum arg_base base)
{
	const struct syscall_sig *sig = ctx->call->sig;
	struct strbuf *sb = ctx->sb;
	uint64_t value = ctx->value;
	uint8_t aux = sig->aux[ctx->index];

	switch (base) {
	case BASE_DEC:
		sb_printf(sb, "%d", (int)value);
		return;
	case BASE_LDEC:
		sb_printf(sb, "%lld", (long long)signed_word(ctx->call, value));
		return;
	case BASE_UDEC:
		sb_printf(sb, "%llu", (unsigned long long)value);
		return;
	case BASE_HEX:
		if (value)
			sb_printf(sb, "%#llx", (unsigned long long)value);
		else
			sb_putc(sb, '0');
		return;
	case BASE_OCT:
		sb_printf(sb, "%#03llo", (unsigned long long)value);
		return;
	case BASE_PTR:
		ctx_print_ptr(ctx, value);
		return;
	case BASE_FD:
		if (sig->kinds[ctx->index] == ARG_DIRFD && (int)value == AT_FDCWD_VALUE)
			sb_puts(sb, "AT_FDCWD");
		else
			decode_fd(sb, ctx->call->tid, (int)value,
				  ctx->d->config->decode_fds);
		return;
	case BASE_PATH:
		ctx_print_cstring(ctx, value, PATH_LIMIT);
		return;
	case BASE_STR:
		ctx_print_cstring(ctx, value, ctx->d->config->string_limit);
		return;
	case BASE_IBUF:
		if (aux < sig->nargs)
			ctx_print_data(ctx, value, ctx_arg(ctx, aux));
		else
			ctx_print_ptr(ctx, value);
		return;
	case BASE_OBUF:
		if (ctx->is_error || ctx->rval < 0)
			ctx_print_ptr(ctx, value);
		else
			ctx_print_data(ctx, value, (uint64_t)ctx->rval);
		return;
	}
	ctx_print_ptr(ctx, value);
}

static void print_arg(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call, unsigned i,
		      bool exiting, int64_t rval, bool is_error)
{
	enum arg_kind kind = call->sig->kinds[i];
	struct arg_ctx ctx = {
		.d = d,
		.sb = sb,
		.call = call,
		.index = i,
		.value = word(call, call->args[i]),
		.exiting = exiting,
		.rval = rval,
		.is_error = is_error,
	};
	if (kind_printers[kind])
		kind_printers[kind](&ctx);
	else
		print_base(&ctx, arg_kinds[kind].base);
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
		print_arg(d, sb, call, i, false, 0, false);
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
		print_arg(d, sb, call, i, true, rval, is_error);
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

void decode_arg(struct decoder *d, struct strbuf *sb,
		const struct syscall_call *call, unsigned i, bool exiting,
		int64_t rval, bool is_error)
{
	if (call->sig && i < call->sig->nargs)
		print_arg(d, sb, call, i, exiting, rval, is_error);
	else if (i < SYSCALL_MAX_ARGS)
		sb_printf(sb, "%#llx", (unsigned long long)word(call, call->args[i]));
}
