/* The values of prctl's arguments and results, as strace 6.1 prints them:
 * each printer here prints one argument of the options flags_prctl.c lays
 * out. A value strace matches against the whole register (printxval64,
 * printflags64) is printed from the word; one it reads as an int
 * (printxval, printflags) from its low 32 bits. */
#include "flags_prctl.h"

#include "flags.h"
#include "structs.h"
#include "xlat_tables.h"

#define PRCTL_TASK_COMM_LEN 16
#define PRCTL_SIGNAL_MAX 128

void prctl_print_hex(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%#llx", (unsigned long long)ctx->value);
}

void prctl_print_udec(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%llu", (unsigned long long)ctx->value);
}

/* The word as a signed long: an i386 tracee's word is zero-extended, as
 * x86_64 strace prints it. */
void prctl_print_sdec(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%lld", (long long)ctx->value);
}

void prctl_print_int(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%d", (int)(uint32_t)ctx->value);
}

/* An unsigned int the kernel stores: "[1]", or the address. */
void prctl_print_uint_ref(const struct arg_ctx *ctx)
{
	uint32_t v;
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, &v, sizeof v))
		return;
	sb_printf(ctx->sb, "[%u]", v);
}

/* A pointer the kernel stores (PR_GET_TID_ADDRESS, ARCH_GET_FS):
 * "[0x7f...]" in the tracee's word size. */
void prctl_print_kptr_ref(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	unsigned w = ctx_word_size(ctx);
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, w))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_ptr(ctx, field_u(b, 0, w));
	sb_putc(ctx->sb, ']');
}

/* PR_SET_PDEATHSIG: a signal name, a number past the signals in decimal. */
void prctl_print_signal(const struct arg_ctx *ctx)
{
	if (ctx->value > PRCTL_SIGNAL_MAX)
		sb_printf(ctx->sb, "%llu", (unsigned long long)ctx->value);
	else
		print_signal_styled(ctx, ctx->value);
}

/* PR_GET_PDEATHSIG: the int the kernel fills with a signal number. */
void prctl_print_signal_ref(const struct arg_ctx *ctx)
{
	uint32_t v;
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, &v, sizeof v))
		return;
	sb_putc(ctx->sb, '[');
	print_signal_styled(ctx, v);
	sb_putc(ctx->sb, ']');
}

/* strace reads PR_SET_NAME's name as 15 bytes, PR_GET_NAME's as 16 */
void prctl_print_comm_in(const struct arg_ctx *ctx)
{
	ctx_print_cstring_len(ctx, ctx->value, PRCTL_TASK_COMM_LEN - 1);
}

void prctl_print_comm_out(const struct arg_ctx *ctx)
{
	if (ctx_exit_ok(ctx))
		ctx_print_cstring_len(ctx, ctx->value, PRCTL_TASK_COMM_LEN);
}

void prctl_print_dumpable(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_suid_dump, ctx->value, NULL);
}

/* PR_SET_PTRACER: -1 (as an int) is PR_SET_PTRACER_ANY, printed as a
 * decimal named value; anything else a pid. */
void prctl_print_ptracer(const struct arg_ctx *ctx)
{
	if ((int)(uint32_t)ctx->value != -1) {
		prctl_print_int(ctx);
		return;
	}
	switch (ctx_xlat_style(ctx)) {
	case XLAT_STYLE_RAW:
		sb_puts(ctx->sb, "-1");
		break;
	case XLAT_STYLE_VERBOSE:
		sb_puts(ctx->sb, "-1 /* PR_SET_PTRACER_ANY */");
		break;
	default:
		sb_puts(ctx->sb, "PR_SET_PTRACER_ANY");
	}
}

void prctl_print_tsc(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_tsc, (uint32_t)ctx->value, NULL);
}

void prctl_print_tsc_ref(const struct arg_ctx *ctx)
{
	uint32_t v;
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, &v, sizeof v))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_enum(ctx, &xlat_pr_tsc, v, NULL);
	sb_putc(ctx->sb, ']');
}

void prctl_print_unalign(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_pr_unalign_flags, (uint32_t)ctx->value);
}

void prctl_print_unalign_ref(const struct arg_ctx *ctx)
{
	uint32_t v;
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, &v, sizeof v))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_flags(ctx, &xlat_pr_unalign_flags, v);
	sb_putc(ctx->sb, ']');
}

void prctl_print_secbits(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_secbits, ctx->value);
}

void prctl_print_fp_mode(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_pr_fp_mode, (uint32_t)ctx->value);
}

void prctl_print_capability(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_capability, ctx->value, NULL);
}

void prctl_print_cap_ambient_op(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_cap_ambient, ctx->value, NULL);
}

void prctl_print_mce_kill(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_mce_kill, ctx->value, NULL);
}

void prctl_print_mce_kill_policy(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_mce_kill_policy, ctx->value, NULL);
}

void prctl_print_set_mm(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_set_mm, (uint32_t)ctx->value, NULL);
}

void prctl_print_vma_op(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_set_vma, ctx->value, NULL);
}

/* a string like any other, cut at -s (strace's printstr) */
void prctl_print_vma_name(const struct arg_ctx *ctx)
{
	ctx_print_cstring(ctx, ctx->value, ctx->d->config->string_limit);
}

void prctl_print_seccomp_mode(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_seccomp_mode, ctx->value, NULL);
}

/* PR_SET_SECCOMP's struct sock_fprog: "{len=2, filter=0x...}" (strace
 * decodes the BPF program itself with -v; ptrc prints its address). */
void prctl_print_spec_cmd(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_spec_cmd, ctx->value, NULL);
}

void prctl_print_spec_set(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_spec_set, ctx->value, NULL);
}

void prctl_print_sud_cmd(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_sud_cmd, ctx->value, NULL);
}

void prctl_print_sched_core_cmd(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_sched_core_cmd, (uint32_t)ctx->value,
		       NULL);
}

/* strace names the pid type in a comment even without -X verbose. */
void prctl_print_sched_core_pidtype(const struct arg_ctx *ctx)
{
	enum xlat_style style = ctx_xlat_style(ctx) == XLAT_STYLE_RAW
		? XLAT_STYLE_RAW : XLAT_STYLE_VERBOSE;
	print_enum(ctx->sb, style, &xlat_pr_sched_core_pidtype,
		   (uint32_t)ctx->value, NULL);
}

/* PR_SCHED_CORE_GET's cookie: a u64 the kernel stores. */
void prctl_print_cookie_ref(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_printf(ctx->sb, "[%#llx]", (unsigned long long)field_u(b, 0, 8));
}

void prctl_ret_flags(struct strbuf *sb, enum xlat_style style,
		     const struct xlat *x, uint64_t v)
{
	if (!v) {
		sb_putc(sb, '0');
		if (style != XLAT_STYLE_RAW && x->zero)
			sb_printf(sb, " (%s)", x->zero);
		return;
	}
	sb_printf(sb, "%#llx", (unsigned long long)v);
	if (style == XLAT_STYLE_RAW)
		return;
	size_t mark = sb->len;
	sb_puts(sb, " (");
	size_t names = sb->len;
	uint64_t rest = print_flags_known(sb, x, v, false);
	if (sb->len == names) {
		sb->len = mark;   /* nothing known: no note at all */
		sb->data[mark] = '\0';
		return;
	}
	if (rest)
		sb_printf(sb, "|%#llx", (unsigned long long)rest);
	sb_putc(sb, ')');
}
