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

uint64_t ctx_arg(const struct arg_ctx *ctx, unsigned i)
{
	return i < SYSCALL_MAX_ARGS ? call_word(ctx->call, ctx->call->args[i]) : 0;
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
	addr = call_word(ctx->call, addr);
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	char *buf = decoder_scratch(ctx->d, limit + 1);
	bool terminated;
	ssize_t n = mem_read_str(ctx->call->tid, addr, buf, limit, &terminated);
	/* unreadable, or running into unmapped memory before its NUL: the
	 * address, as strace prints it (its umovestr fails) */
	if (n < 0 || (!terminated && (size_t)n < limit)) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	escape_quoted(ctx->sb, buf, (size_t)n, ctx->d->config->escape, !terminated);
}

void ctx_print_data(const struct arg_ctx *ctx, uint64_t addr, uint64_t len)
{
	addr = call_word(ctx->call, addr);
	if (!addr) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	size_t limit = ctx->d->config->string_limit;
	size_t want = len < limit ? (size_t)len : limit;
	char *buf = decoder_scratch(ctx->d, want + 1);
	ssize_t n = mem_read(ctx->call->tid, addr, buf, want);
	if (n < 0 || (size_t)n < want) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	escape_quoted(ctx->sb, buf, want, ctx->d->config->escape, len > want);
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
