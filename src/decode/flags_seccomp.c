/* seccomp(2) as strace 6.1 prints it: the operation decides what the
 * flags and the argument are. SECCOMP_SET_MODE_FILTER: SECCOMP_FILTER_FLAG_*
 * and the struct sock_fprog (structs_bpf.c, shared with prctl's
 * PR_SET_SECCOMP); SECCOMP_GET_ACTION_AVAIL: the action asked about
 * ("[SECCOMP_RET_LOG]"); SECCOMP_GET_NOTIF_SIZES: the three sizes the
 * kernel stores, at exit; anything else: flags in hex and an address. */
#include "flags.h"

#include <linux/seccomp.h>

#include "structs.h"
#include "xlat.h"
#include "xlat_tables.h"

#define SC_ARG_FLAGS 1
#define SC_ARG_ARGS 2

void print_seccomp_op(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_seccomp_op, (uint32_t)ctx->value, NULL);
}

static void print_filter_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_seccomp_filter_flags, (uint32_t)ctx->value);
}

static void print_action_ref(const struct arg_ctx *ctx)
{
	unsigned char b[4];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_enum(ctx, &xlat_seccomp_ret_action, field_u(b, 0, 4), NULL);
	sb_putc(ctx->sb, ']');
}

/* struct seccomp_notif_sizes: three __u16 */
static void print_notif_sizes(const struct arg_ctx *ctx)
{
	unsigned char b[6];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_printf(ctx->sb, "{seccomp_notif=%u, seccomp_notif_resp=%u, "
		  "seccomp_data=%u}", (unsigned)field_u(b, 0, 2),
		  (unsigned)field_u(b, 2, 2), (unsigned)field_u(b, 4, 2));
}

void layout_seccomp_op(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index != 0 || call->sig->nargs < 3)
		return;
	struct arg_layout *flags = &layout[SC_ARG_FLAGS];
	struct arg_layout *args = &layout[SC_ARG_ARGS];
	switch ((uint32_t)call->args[0]) {
	case SECCOMP_SET_MODE_FILTER:
		flags->print = print_filter_flags;
		args->print = print_seccomp_fprog;
		return;
	case SECCOMP_GET_ACTION_AVAIL:
		args->print = print_action_ref;
		return;
	case SECCOMP_GET_NOTIF_SIZES:
		args->print = print_notif_sizes;
		args->at_exit = true;
		return;
	}
}
