/* More prctl options, as strace 6.1 prints them: capabilities (the
 * bounding set, the ambient set), PR_SET_MM's field, PR_GET_TID_ADDRESS's
 * pointer, and what PR_GET_SPECULATION_CTRL and PR_MCE_KILL_GET return.
 * flags_ctl.c's prctl layout and return printer ask here for the options
 * they do not know. */
#include "flags.h"

#include <sys/prctl.h>

#include "structs.h"

#define PR_CAP_AMBIENT_OPTION 47
#define PR_CAP_AMBIENT_IS_SET_OP 1
#define PR_CAP_AMBIENT_LOWER_OP 3
#define PR_GET_SPECULATION_CTRL_OPTION 52
#define PR_SPEC_L1D_FLUSH_CMD 2

/* strace matches these against the whole register (printxval64) */
static void print_capability(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_capability, ctx->value, NULL);
}

static void print_cap_ambient_op(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_cap_ambient, ctx->value, NULL);
}

static void print_spec_cmd(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_spec_cmd, ctx->value, NULL);
}

static void print_set_mm_field(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_pr_set_mm, (uint32_t)ctx->value, NULL);
}

/* PR_GET_TID_ADDRESS: the pointer the kernel stores, "[0x7f...]". */
static void print_tid_address(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	unsigned w = ctx_word_size(ctx);
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, w))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_ptr(ctx, field_u(b, 0, w));
	sb_putc(ctx->sb, ']');
}

static void rest_hex(struct arg_layout l[SYSCALL_MAX_ARGS], unsigned first)
{
	for (unsigned i = first; i < 5; i++)
		l[i].print = print_arg_hex;
}

bool layout_prctl_more(const struct syscall_call *call,
		       struct arg_layout l[SYSCALL_MAX_ARGS])
{
	uint64_t arg2 = call_word(call, call->args[1]);
	switch ((uint32_t)call->args[0]) {
	case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
		l[1].print = print_capability;
		for (unsigned i = 2; i < SYSCALL_MAX_ARGS; i++)
			l[i].omit = true;
		return true;
	case PR_CAP_AMBIENT_OPTION:
		l[1].print = print_cap_ambient_op;
		if (arg2 >= PR_CAP_AMBIENT_IS_SET_OP &&
		    arg2 <= PR_CAP_AMBIENT_LOWER_OP) {
			l[2].print = print_capability;
			rest_hex(l, 3);
		} else {
			rest_hex(l, 2);
		}
		return true;
	case PR_SET_MM:
		l[1].print = print_set_mm_field;
		rest_hex(l, 2);
		return true;
	case PR_GET_TID_ADDRESS:
		l[1].print = print_tid_address;
		l[1].at_exit = true;
		for (unsigned i = 2; i < SYSCALL_MAX_ARGS; i++)
			l[i].omit = true;
		return true;
	case PR_GET_SPECULATION_CTRL_OPTION:
		l[1].print = print_spec_cmd;
		for (unsigned i = 2; i < SYSCALL_MAX_ARGS; i++)
			l[i].omit = true;
		return true;
	}
	return false;
}

/* "= 0x2 (PR_SPEC_ENABLE)", "= 0 (PR_SPEC_NOT_AFFECTED)": the names of the
 * known bits (any rest in hex after them), none when no bit is known; the
 * hex alone with -X raw. */
static void ret_spec_state(struct strbuf *sb, enum xlat_style style,
			   uint64_t v)
{
	if (!v) {
		sb_putc(sb, '0');
		if (style != XLAT_STYLE_RAW)
			sb_printf(sb, " (%s)", xlat_pr_spec_state.zero);
		return;
	}
	sb_printf(sb, "%#llx", (unsigned long long)v);
	if (style == XLAT_STYLE_RAW)
		return;
	size_t mark = sb->len;
	sb_puts(sb, " (");
	size_t names = sb->len;
	uint64_t rest = print_flags_known(sb, &xlat_pr_spec_state, v, false);
	if (sb->len == names) {
		sb->len = mark;   /* nothing known: no note at all */
		sb->data[mark] = '\0';
		return;
	}
	if (rest)
		sb_printf(sb, "|%#llx", (unsigned long long)rest);
	sb_putc(sb, ')');
}

bool ret_prctl_more(struct strbuf *sb, enum xlat_style style,
		    const struct syscall_call *call, int64_t rval)
{
	uint64_t arg2 = call_word(call, call->args[1]);
	switch ((uint32_t)call->args[0]) {
	case PR_GET_SPECULATION_CTRL_OPTION:
		if (arg2 > PR_SPEC_L1D_FLUSH_CMD)
			return false;
		ret_spec_state(sb, style, call_word(call, (uint64_t)rval));
		return true;
	case PR_MCE_KILL_GET: {
		const char *name = xlat_name(&xlat_pr_mce_kill_policy,
					     (uint64_t)rval);
		if (!name)
			return false;
		sb_printf(sb, "%lld (%s)", (long long)rval, name);
		return true;
	}
	}
	return false;
}
