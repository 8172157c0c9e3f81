/* NUMA memory policies: node masks and policy modes, as strace 6.1 prints
 * them.
 *   migrate_pages(0, 64, [0x0000000000000001], [0x0000000000000001]) = 0
 *   set_mempolicy(MPOL_BIND|MPOL_F_STATIC_NODES, [0x0000000000000001], 64)
 * A node mask of MAXNODE bits is an array of (MAXNODE - 1) / bits-per-word
 * words rounded up, each in hex padded to the word's digits ("0" padded
 * for zero, without 0x, as printf's %#0*x does); a MAXNODE whose word
 * count overflows prints the address. */
#include "structs.h"

#include "ptrc/arch.h"

static bool print_node_word(const struct arg_ctx *ctx, const void *elem,
			    void *user)
{
	(void)user;
	unsigned w = ctx_word_size(ctx);
	sb_printf(ctx->sb, "%#0*llx", (int)(2 * w),
		  (unsigned long long)field_u(elem, 0, w));
	return true;
}

static void print_nodemask(const struct arg_ctx *ctx, uint64_t maxnode)
{
	unsigned w = ctx_word_size(ctx);
	uint64_t bits = 8 * (uint64_t)w;
	if (w == 4)
		maxnode = (uint32_t)maxnode;
	/* in 64 bits whatever the tracee's word, as a 64-bit strace does: an
	 * i386 maxnode of 0xffffffff is a long array, not a wrapped count */
	uint64_t nmemb = (maxnode + bits - 2) / bits;
	if (nmemb < maxnode / bits || (maxnode && !nmemb)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	/* get_mempolicy's, printed at exit: strace reads none after a failure */
	if (ctx->exiting && ctx->is_error && ctx->value && nmemb) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	ctx_print_array(ctx, ctx->value, nmemb, w, print_node_word, NULL);
}

/* aux names the maxnode argument. */
void print_nodemask_in(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	print_nodemask(ctx, aux < SYSCALL_MAX_ARGS ? ctx_arg(ctx, aux) : 0);
}

#define MPOL_MODE_FLAGS 0xe000u

/* "MPOL_BIND", "MPOL_BIND|MPOL_F_STATIC_NODES", an unknown mode with
 * flags as flags ("MPOL_F_STATIC_NODES|0x7"); -X applies to the whole. */
static void print_mpol_mode(const struct arg_ctx *ctx, uint64_t arg)
{
	uint64_t mode = arg & ~(uint64_t)MPOL_MODE_FLAGS;
	uint64_t flags = arg & MPOL_MODE_FLAGS;
	if (!flags) {
		ctx_print_enum(ctx, &xlat_mpol_modes, mode, NULL);
		return;
	}
	const char *name = xlat_name(&xlat_mpol_modes, mode);
	if (!name) {
		ctx_print_flags(ctx, &xlat_mpol_mode_flags, arg);
		return;
	}
	size_t mark = xlat_start(ctx->sb);
	sb_puts(ctx->sb, name);
	print_flags_known(ctx->sb, &xlat_mpol_mode_flags, flags, true);
	xlat_finish(ctx->sb, ctx_xlat_style(ctx), mark, arg);
}

/* set_mempolicy's mode is an int; mbind's the whole register. */
void print_mpol_mode_int(const struct arg_ctx *ctx)
{
	print_mpol_mode(ctx, (uint32_t)ctx->value);
}

void print_mpol_mode_long(const struct arg_ctx *ctx)
{
	print_mpol_mode(ctx, ctx->value);
}

/* get_mempolicy's mode, stored by the kernel: "[MPOL_DEFAULT]". */
void print_mpol_mode_out(const struct arg_ctx *ctx)
{
	unsigned char b[4];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_enum(ctx, &xlat_mpol_modes, (uint32_t)field_u(b, 0, 4), NULL);
	sb_putc(ctx->sb, ']');
}

void print_mbind_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_mbind_flags, (uint32_t)ctx->value);
}

void print_get_mempolicy_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_get_mempolicy_flags, ctx->value);
}
