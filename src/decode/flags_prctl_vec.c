/* prctl's arm64 values, which strace 6.1 decodes on every architecture:
 * SVE and SME vector lengths (a length in the low 16 bits, flags above),
 * pointer authentication keys, and the tagged address control word (an
 * enable bit, the MTE fault mode, the MTE tag mask, as one text). */
#include "flags_prctl.h"

#include "xlat_tables.h"

#define PRCTL_VL_LEN_MASK 0xffffULL
#define PRCTL_TAGGED_ENABLE 0x1ULL
#define PRCTL_MTE_TCF_MASK 0x6ULL
#define PRCTL_MTE_TAG_SHIFT 3
#define PRCTL_MTE_TAG_MASK (0xffffULL << PRCTL_MTE_TAG_SHIFT)

/* The flags of a vector length word: the names, then any bit left in hex
 * ("PR_SVE_VL_INHERIT|0x100000"), or the hex alone. */
static void vl_flags(struct strbuf *sb, const struct xlat *x, uint64_t flags)
{
	size_t start = sb->len;
	uint64_t rest = print_flags_known(sb, x, flags, false);
	if (rest)
		sb_printf(sb, "%s%#llx", sb->len > start ? "|" : "",
			  (unsigned long long)rest);
}

/* "PR_SVE_SET_VL_ONEXEC|0x40", the length alone when no flag is set; with
 * -X verbose the word first and that in a comment, with -X raw the word. */
static void print_vl(const struct arg_ctx *ctx, const struct xlat *x)
{
	enum xlat_style style = ctx_xlat_style(ctx);
	uint64_t v = ctx->value;
	uint64_t flags = v & ~PRCTL_VL_LEN_MASK;
	if (style == XLAT_STYLE_RAW) {
		sb_printf(ctx->sb, "%#llx", (unsigned long long)v);
		return;
	}
	if (!flags) {
		sb_printf(ctx->sb, "%#llx", (unsigned long long)v);
		return;
	}
	if (style == XLAT_STYLE_VERBOSE)
		sb_printf(ctx->sb, "%#llx /* ", (unsigned long long)v);
	vl_flags(ctx->sb, x, flags);
	sb_printf(ctx->sb, "|%#llx", (unsigned long long)(v & PRCTL_VL_LEN_MASK));
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " */");
}

void prctl_print_sve_vl(const struct arg_ctx *ctx)
{
	print_vl(ctx, &xlat_pr_sve_vl_flags);
}

void prctl_print_sme_vl(const struct arg_ctx *ctx)
{
	print_vl(ctx, &xlat_pr_sme_vl_flags);
}

/* The value returned: hex, with the flags and length in a note when a
 * flag is set (none with -X raw); 0 in decimal. */
static void ret_vl(struct strbuf *sb, enum xlat_style style,
		   const struct xlat *x, uint64_t v)
{
	uint64_t flags = v & ~PRCTL_VL_LEN_MASK;
	if (!v) {
		sb_putc(sb, '0');
		return;
	}
	sb_printf(sb, "%#llx", (unsigned long long)v);
	if (style == XLAT_STYLE_RAW || !flags)
		return;
	sb_puts(sb, " (");
	vl_flags(sb, x, flags);
	sb_printf(sb, "|%#llx)", (unsigned long long)(v & PRCTL_VL_LEN_MASK));
}

void prctl_ret_sve_vl(struct strbuf *sb, enum xlat_style style, uint64_t v)
{
	ret_vl(sb, style, &xlat_pr_sve_vl_flags, v);
}

void prctl_ret_sme_vl(struct strbuf *sb, enum xlat_style style, uint64_t v)
{
	ret_vl(sb, style, &xlat_pr_sme_vl_flags, v);
}

void prctl_print_pac_reset_keys(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_pr_pac_reset_keys, ctx->value);
}

void prctl_print_pac_keys(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_pr_pac_enabled_keys, ctx->value);
}

/* "PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_SYNC|0xfffe<<PR_MTE_TAG_SHIFT|0x80"
 * (names only: the callers apply the -X style). */
static void tagged_addr_text(struct strbuf *sb, uint64_t v)
{
	uint64_t tag = v & PRCTL_MTE_TAG_MASK;
	uint64_t rest = v & ~(PRCTL_TAGGED_ENABLE | PRCTL_MTE_TCF_MASK |
			      PRCTL_MTE_TAG_MASK);
	print_flags(sb, XLAT_STYLE_ABBREV, &xlat_pr_tagged_addr,
		    v & PRCTL_TAGGED_ENABLE);
	sb_putc(sb, '|');
	print_enum(sb, XLAT_STYLE_ABBREV, &xlat_pr_mte_tcf,
		   v & PRCTL_MTE_TCF_MASK, NULL);
	if (tag)
		sb_printf(sb, "|%#llx<<PR_MTE_TAG_SHIFT",
			  (unsigned long long)(tag >> PRCTL_MTE_TAG_SHIFT));
	if (rest)
		sb_printf(sb, "|%#llx", (unsigned long long)rest);
}

void prctl_print_tagged_addr(const struct arg_ctx *ctx)
{
	enum xlat_style style = ctx_xlat_style(ctx);
	if (style != XLAT_STYLE_ABBREV)
		sb_printf(ctx->sb, "%#llx", (unsigned long long)ctx->value);
	if (style == XLAT_STYLE_RAW)
		return;
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " /* ");
	tagged_addr_text(ctx->sb, ctx->value);
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " */");
}

/* PR_GET_TAGGED_ADDR_CTRL's value: hex with the text in a note, even
 * for 0 ("0 (!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE)"); -X raw: hex. */
void prctl_ret_tagged_addr(struct strbuf *sb, enum xlat_style style,
			   uint64_t v)
{
	sb_printf(sb, "%#llx", (unsigned long long)v);
	if (style == XLAT_STYLE_RAW)
		return;
	sb_puts(sb, " (");
	tagged_addr_text(sb, v);
	sb_putc(sb, ')');
}
