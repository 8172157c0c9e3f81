/* arch_prctl(code, addr) on x86 as strace 6.1 prints it: the address in
 * hex, what ARCH_GET_FS/GS and ARCH_GET_XCOMP_* store at exit, the XSAVE
 * feature ARCH_REQ_XCOMP_PERM asks for and the mask it returns. strace
 * names the XSAVE features in a comment (the kernel's names are not in a
 * uapi header) whatever -X says, except -X raw. */
#include "flags.h"

#include "flags_prctl.h"
#include "structs.h"
#include "xlat_tables.h"

#define ARCH_GET_FS_CODE 0x1003
#define ARCH_GET_GS_CODE 0x1004
#define ARCH_GET_CPUID_CODE 0x1011
#define ARCH_GET_XCOMP_SUPP_CODE 0x1021
#define ARCH_GET_XCOMP_PERM_CODE 0x1022
#define ARCH_REQ_XCOMP_PERM_CODE 0x1023
#define ARCH_GET_XCOMP_GUEST_PERM_CODE 0x1024
#define ARCH_REQ_XCOMP_GUEST_PERM_CODE 0x1025

static enum xlat_style xfeature_style(enum xlat_style style)
{
	return style == XLAT_STYLE_RAW ? XLAT_STYLE_RAW : XLAT_STYLE_VERBOSE;
}

/* ARCH_GET_XCOMP_*: the u64 feature mask the kernel stores. */
static void print_xfeature_mask_ref(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_putc(ctx->sb, '[');
	print_flags(ctx->sb, xfeature_style(ctx_xlat_style(ctx)),
		    &xlat_x86_xfeature_mask, field_u(b, 0, 8));
	sb_putc(ctx->sb, ']');
}

static void print_xfeature(const struct arg_ctx *ctx)
{
	print_enum(ctx->sb, xfeature_style(ctx_xlat_style(ctx)),
		   &xlat_x86_xfeature, ctx->value, NULL);
}

void layout_arch_prctl_code(const struct syscall_call *call, unsigned index,
			    struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index != 0 || call->sig->nargs < 2)
		return;
	switch ((uint32_t)call->args[0]) {
	case ARCH_GET_FS_CODE: case ARCH_GET_GS_CODE:
		layout[1].print = prctl_print_kptr_ref;
		layout[1].at_exit = true;
		return;
	case ARCH_GET_CPUID_CODE:
		layout[1].omit = true;
		return;
	case ARCH_GET_XCOMP_SUPP_CODE: case ARCH_GET_XCOMP_PERM_CODE:
	case ARCH_GET_XCOMP_GUEST_PERM_CODE:
		layout[1].print = print_xfeature_mask_ref;
		layout[1].at_exit = true;
		return;
	case ARCH_REQ_XCOMP_PERM_CODE: case ARCH_REQ_XCOMP_GUEST_PERM_CODE:
		layout[1].print = print_xfeature;
		return;
	}
}

/* ARCH_REQ_XCOMP_PERM's positive return: "0x60000 (XFEATURE_MASK_XTILE)". */
bool ret_arch_prctl_code(struct strbuf *sb, enum xlat_style style,
			 const struct syscall_call *call, unsigned index,
			 int64_t rval)
{
	uint32_t code = (uint32_t)call->args[index];
	if (code != ARCH_REQ_XCOMP_PERM_CODE &&
	    code != ARCH_REQ_XCOMP_GUEST_PERM_CODE)
		return false;
	if (rval <= 0)
		return false;
	prctl_ret_flags(sb, style, &xlat_x86_xfeature_mask,
			call_word(call, (uint64_t)rval));
	return true;
}
