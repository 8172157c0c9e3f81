/* The decoder and the context an argument printer receives (printers.h):
 * the tracee's words, its memory, the -X style and the values saved at
 * entry for the exit. */
#include "ptrc/decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/mem.h"
#include "printers.h"
#include "xlat.h"

void decoder_init(struct decoder *d, const struct ptrc_config *config)
{
	d->config = config;
	d->scratch = NULL;
	decode_fd_set_escape(config->escape);  /* -y's paths follow -x */
	d->scratch_cap = 0;
}

void decoder_free(struct decoder *d)
{
	free(d->scratch);
	d->scratch = NULL;
	d->scratch_cap = 0;
}

static char *decoder_scratch(struct decoder *d, size_t size)
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

uint64_t call_word(const struct syscall_call *call, uint64_t value)
{
	return arch_word_size(call->arch) == 4 ? (uint32_t)value : value;
}

unsigned call_arg_width(const struct syscall_call *call, unsigned i)
{
	if (!call->sig || i >= call->sig->nargs)
		return 0;
	const struct arg_kind_info *k = &arg_kinds[call->sig->kinds[i]];
	return call->arch == PTRC_ARCH_I386 ? k->width_i386 : k->width;
}

uint64_t call_arg(const struct syscall_call *call, unsigned i)
{
	if (i >= SYSCALL_MAX_ARGS)
		return 0;
	uint64_t value = call_word(call, call->args[i]);
	switch (call_arg_width(call, i)) {
	case 16:
		return (uint16_t)value;
	case 32:
		return (uint32_t)value;
	default:
		return value;
	}
}

uint64_t ctx_arg(const struct arg_ctx *ctx, unsigned i)
{
	return call_arg(ctx->call, i);
}

unsigned ctx_word_size(const struct arg_ctx *ctx)
{
	return arch_word_size(ctx->call->arch);
}

enum xlat_style ctx_xlat_style(const struct arg_ctx *ctx)
{
	return ctx->d->config->xlat_style;
}

char *ctx_scratch(const struct arg_ctx *ctx, size_t size)
{
	return decoder_scratch(ctx->d, size);
}

void ctx_print_ptr(const struct arg_ctx *ctx, uint64_t addr)
{
	addr = call_word(ctx->call, addr);
	if (addr == 0)
		sb_puts(ctx->sb, "NULL");
	else
		sb_put_hex(ctx->sb, (unsigned long long)addr);
}

bool ctx_read(const struct arg_ctx *ctx, uint64_t addr, void *buf, size_t len)
{
	if (!addr || !ctx_deref(ctx))  /* -e verbose= leaves the call out */
		return false;
	return mem_read(ctx->call->tid, addr, buf, len) == (ssize_t)len;
}

/* strace's rules for a NUL-terminated string (umovestr, printstr_ex,
 * printpathn): it reads a window of WINDOW bytes, at most SHOWN + 1. A NUL
 * in the window ends the string, printed whole. Without one, the window
 * must be readable to its end, and its first SHOWN bytes print with "...".
 * Memory that cannot be read before the NUL or the window's end (a string
 * running into a PROT_NONE page) prints the address instead. */
static void print_cstring_window(const struct arg_ctx *ctx, uint64_t addr,
				 size_t shown, size_t window)
{
	addr = call_word(ctx->call, addr);
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	char *buf = decoder_scratch(ctx->d, window + 1);
	bool terminated;
	/* up to WINDOW + 1 bytes: n < WINDOW only when a NUL or an unreadable
	 * byte came first */
	ssize_t n = mem_read_str(ctx->call->tid, addr, buf, window, &terminated);
	if (n >= 0 && terminated && (size_t)n < window) {
		escape_quoted(ctx->sb, buf, (size_t)n, ctx->d->config->escape, false);
		return;
	}
	if (n < 0 || (size_t)n < window) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	size_t len = window < shown ? window : shown;
	escape_quoted(ctx->sb, buf, len, ctx->d->config->escape, true);
}

void ctx_print_cstring(const struct arg_ctx *ctx, uint64_t addr, size_t limit)
{
	print_cstring_window(ctx, addr, limit, limit + 1);
}

void ctx_print_cstring_len(const struct arg_ctx *ctx, uint64_t addr,
			   uint64_t len)
{
	size_t shown = ctx->d->config->string_limit;
	size_t window = len < shown + 1 ? (size_t)len : shown + 1;
	if (window == 0) {
		/* nothing to read: strace's empty string */
		sb_puts(ctx->sb, call_word(ctx->call, addr) ? "\"\"" : "NULL");
		return;
	}
	print_cstring_window(ctx, addr, shown, window);
}

/* strace's printstr_ex of LEN bytes: it reads min(LEN, -s + 1) bytes, all
 * or nothing (umoven), and prints -s of them with "..." when LEN is longer. */
void ctx_print_data(const struct arg_ctx *ctx, uint64_t addr, uint64_t len)
{
	addr = call_word(ctx->call, addr);
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	size_t limit = ctx->d->config->string_limit;
	size_t want = len < limit + 1 ? (size_t)len : limit + 1;
	char *buf = decoder_scratch(ctx->d, want + 1);
	ssize_t n = mem_read(ctx->call->tid, addr, buf, want);
	if (n < 0 || (size_t)n < want) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	size_t shown = want < limit ? want : limit;
	escape_quoted(ctx->sb, buf, shown, ctx->d->config->escape, len > shown);
}

void ctx_print_flags(const struct arg_ctx *ctx, const struct xlat *x,
		     uint64_t value)
{
	print_flags(ctx->sb, ctx_xlat_style(ctx), x, value);
}

void ctx_print_enum(const struct arg_ctx *ctx, const struct xlat *x,
		    uint64_t value, const char *unknown)
{
	print_enum(ctx->sb, ctx_xlat_style(ctx), x, value, unknown);
}

/* ---- values saved at entry for the exit (ctx_save, ctx_saved) ----
 *
 * In the thread's struct decode_saved (call->saved), which the caller
 * keeps with the thread's other state. */

void ctx_save(const struct arg_ctx *ctx, uint64_t value)
{
	struct decode_saved *saved = ctx->call->saved;
	if (!saved || ctx->index >= SYSCALL_MAX_ARGS)
		return;
	if (saved->nr != ctx->call->nr) {
		saved->nr = ctx->call->nr;
		saved->mask = 0;
	}
	saved->values[ctx->index] = value;
	saved->mask |= (uint8_t)(1u << ctx->index);
}

bool ctx_saved(const struct arg_ctx *ctx, uint64_t *value)
{
	const struct decode_saved *saved = ctx->call->saved;
	if (!saved || ctx->index >= SYSCALL_MAX_ARGS ||
	    saved->nr != ctx->call->nr || !(saved->mask >> ctx->index & 1))
		return false;
	*value = saved->values[ctx->index];
	return true;
}

/* The list and the text have one owner per call: the argument that saved
 * its value with them. */
void ctx_save_list(const struct arg_ctx *ctx, uint64_t value,
		   const uint32_t *list, size_t n)
{
	struct decode_saved *saved = ctx->call->saved;
	if (!saved)
		return;
	memcpy(saved->list, list, (n < DECODE_SAVED_LIST ? n : DECODE_SAVED_LIST) *
	       sizeof *list);
	ctx_save(ctx, value);
}

const uint32_t *ctx_saved_list(const struct arg_ctx *ctx, uint64_t *value)
{
	return ctx_saved(ctx, value) ? ctx->call->saved->list : NULL;
}

void ctx_save_text(const struct arg_ctx *ctx, const char *text, size_t len)
{
	struct decode_saved *saved = ctx->call->saved;
	if (!saved)
		return;
	if (len >= DECODE_SAVED_TEXT)
		len = DECODE_SAVED_TEXT - 1;
	memcpy(saved->text, text, len);
	saved->text[len] = '\0';
	ctx_save(ctx, len);
}

const char *ctx_saved_text(const struct arg_ctx *ctx)
{
	uint64_t len;
	return ctx_saved(ctx, &len) ? ctx->call->saved->text : NULL;
}
