/* Flags of calls that make or watch special descriptors: memfd_create,
 * inotify_init1, inotify_add_watch, pidfd_open, as strace 6.1 prints
 * them. */
#include "flags.h"

#include "xlat.h"
#include "xlat_tables.h"

#define MFD_HUGE_SHIFT_BITS 26
#define MFD_HUGE_MASK_BITS 0x3fu

/* "MFD_CLOEXEC|MFD_HUGETLB|21<<MFD_HUGE_SHIFT": the huge page size's log2
 * apart from the flags. -X as strace: raw the hex, verbose the hex and
 * the abbreviated text (unknown bits with their own comment) in a comment. */
void print_memfd_flags(const struct arg_ctx *ctx)
{
	struct strbuf *sb = ctx->sb;
	enum xlat_style style = ctx_xlat_style(ctx);
	uint32_t flags = (uint32_t)ctx->value;
	uint32_t huge = flags & (MFD_HUGE_MASK_BITS << MFD_HUGE_SHIFT_BITS);
	uint32_t rest = flags & ~huge;
	if (!flags || style != XLAT_STYLE_ABBREV)
		print_unknown(sb, flags, NULL);
	if (!flags || style == XLAT_STYLE_RAW)
		return;
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(sb, " /* ");
	if (rest || !huge)
		print_flags(sb, XLAT_STYLE_ABBREV, &xlat_memfd_flags, rest);
	if (huge)
		sb_printf(sb, "%s%u<<MFD_HUGE_SHIFT", rest ? "|" : "",
			  huge >> MFD_HUGE_SHIFT_BITS);
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(sb, " */");
}

void print_inotify_mask(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_inotify_mask, (uint32_t)ctx->value);
}

void print_inotify_init_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_inotify_init_flags, (uint32_t)ctx->value);
}

void print_pidfd_open_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_pidfd_open_flags, (uint32_t)ctx->value);
}
