/* Terminal ioctl arguments as strace 6.1 prints them: struct winsize
 * (TIOCGWINSZ at exit, TIOCSWINSZ at entry) and the modem lines of
 * TIOCMGET (at exit) and TIOCMSET/TIOCMBIS/TIOCMBIC. An unreadable
 * pointer, or a failed call's output, prints as the address. */
#include "structs.h"

#include "xlat_tables.h"

void print_winsize(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	if (ctx->exiting && !ctx_exit_ok(ctx))
		return;
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_printf(ctx->sb, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}",
		  (unsigned)field_u(b, 0, 2), (unsigned)field_u(b, 2, 2),
		  (unsigned)field_u(b, 4, 2), (unsigned)field_u(b, 6, 2));
}

void print_modem_flags_ref(const struct arg_ctx *ctx)
{
	unsigned char b[4];
	if (ctx->exiting && !ctx_exit_ok(ctx))
		return;
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_flags(ctx, &xlat_modem_flags, field_u(b, 0, 4));
	sb_putc(ctx->sb, ']');
}
