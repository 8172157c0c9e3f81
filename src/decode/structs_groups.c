/* getgroups/setgroups: the group id array, as strace 6.1 prints it:
 *   setgroups(3, [0, 4, 24]) = 0    getgroups(32, [1000, 24]) = 2
 * A count over NGROUPS_MAX (65536: a negative one too) prints the address;
 * getgroups' count is the return value (a failed call's -1 is over it).
 * Ids are 16-bit for i386's getgroups/setgroups, 32-bit for the *32 calls
 * and on the other arches; the id -1 prints as -1. */
#include "structs.h"

#define GROUPS_MAX 65536

struct gid_width {
	unsigned size;
};

static bool print_gid_elem(const struct arg_ctx *ctx, const void *elem,
			   void *user)
{
	const struct gid_width *gw = user;
	uint32_t gid = (uint32_t)field_u(elem, 0, gw->size);
	uint32_t minus_one = gw->size == 2 ? 0xffff : 0xffffffff;
	if (gid == minus_one)
		sb_puts(ctx->sb, "-1");
	else
		sb_printf(ctx->sb, "%u", gid);
	return true;
}

static void print_groups(const struct arg_ctx *ctx, uint32_t count, bool wide)
{
	if (count > GROUPS_MAX) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	struct gid_width gw = {
		wide || ctx->call->arch != PTRC_ARCH_I386 ? 4 : 2,
	};
	ctx_print_array(ctx, ctx->value, count, gw.size, print_gid_elem, &gw);
}

static uint32_t groups_count(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	return aux < SYSCALL_MAX_ARGS ? (uint32_t)ctx_arg(ctx, aux) : 0;
}

/* setgroups: aux names the count. */
void print_gids_in(const struct arg_ctx *ctx)
{
	print_groups(ctx, groups_count(ctx), false);
}

void print_gids32_in(const struct arg_ctx *ctx)
{
	print_groups(ctx, groups_count(ctx), true);
}

/* getgroups: the return value counts the ids stored. */
void print_gids_out(const struct arg_ctx *ctx)
{
	print_groups(ctx, ctx->is_error ? UINT32_MAX : (uint32_t)ctx->rval, false);
}

void print_gids32_out(const struct arg_ctx *ctx)
{
	print_groups(ctx, ctx->is_error ? UINT32_MAX : (uint32_t)ctx->rval, true);
}
