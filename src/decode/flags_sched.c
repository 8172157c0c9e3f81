/* Scheduling and I/O priority: sched_* policies (and sched_getscheduler's
 * return value), ioprio_get/ioprio_set's `which` and I/O priorities, as
 * strace 6.1 prints them. */
#include "flags.h"

#include <string.h>

#include "xlat.h"
#include "xlat_tables.h"

/* IOPRIO_PRIO_VALUE(class, data): the class above bit 13. */
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_DATA_MASK ((1u << IOPRIO_CLASS_SHIFT) - 1)

static bool sched_call_is(const struct syscall_call *call, const char *name)
{
	return call->sig && !strcmp(call->sig->name, name);
}

/* The kernel (and strace) take the policy as an int: garbage in the upper
 * half of the register is ignored. */
void print_sched_policy(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_sched_policy, (uint32_t)ctx->value, NULL);
}

/* sched_getscheduler's pid: its call returns a policy, "= 0 (SCHED_OTHER)",
 * named whatever the -X style (strace's auxstr). */
bool ret_sched_pid(struct strbuf *sb, enum xlat_style style,
		   const struct syscall_call *call, unsigned index, int64_t rval)
{
	(void)style;
	(void)index;
	if (!sched_call_is(call, "sched_getscheduler"))
		return false;
	const char *name = xlat_name(&xlat_sched_policy, (uint64_t)rval);
	if (!name)
		return false;
	sb_printf(sb, "%lld (%s)", (long long)rval, name);
	return true;
}

void print_ioprio_which(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_ioprio_who, (uint32_t)ctx->value, NULL);
}

/* "IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)"; the class in the -X style, as
 * strace prints it inside the comment of -X verbose. */
static void print_ioprio_text(struct strbuf *sb, enum xlat_style style,
			      uint32_t ioprio)
{
	sb_puts(sb, "IOPRIO_PRIO_VALUE(");
	print_enum(sb, style, &xlat_ioprio_class, ioprio >> IOPRIO_CLASS_SHIFT,
		   NULL);
	sb_printf(sb, ", %d)", (int)(ioprio & IOPRIO_DATA_MASK));
}

/* ioprio_set's priority: the macro form; -X raw the int alone, -X verbose
 * the int and the macro form in a comment. */
void print_ioprio(const struct arg_ctx *ctx)
{
	enum xlat_style style = ctx_xlat_style(ctx);
	uint32_t ioprio = (uint32_t)ctx->value;
	if (style != XLAT_STYLE_ABBREV)
		sb_printf(ctx->sb, "%d", (int)ioprio);
	if (style == XLAT_STYLE_RAW)
		return;
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " /* ");
	print_ioprio_text(ctx->sb, style, ioprio);
	if (style == XLAT_STYLE_VERBOSE)
		sb_puts(ctx->sb, " */");
}

/* ioprio_get returns a priority: "= 0 (IOPRIO_PRIO_VALUE(IOPRIO_CLASS_NONE,
 * 0))", the number alone with -X raw. */
bool ret_ioprio_which(struct strbuf *sb, enum xlat_style style,
		      const struct syscall_call *call, unsigned index,
		      int64_t rval)
{
	(void)index;
	if (!sched_call_is(call, "ioprio_get") || style == XLAT_STYLE_RAW)
		return false;
	sb_printf(sb, "%lld (", (long long)rval);
	print_ioprio_text(sb, style, (uint32_t)rval);
	sb_putc(sb, ')');
	return true;
}
