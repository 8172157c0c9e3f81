/* Classic BPF programs as strace 6.1 prints them: struct sock_fprog
 * {len, filter}, the filter an address unless -v, then each instruction
 * as BPF_STMT(code, k) or BPF_JUMP(code, k, jt, jf) with the code's parts
 * named (BPF_LD|BPF_W|BPF_ABS) and, in a seccomp filter, a return's
 * action (SECCOMP_RET_ERRNO|0x1). At most 4096 instructions (the
 * kernel's BPF_MAXINSNS). */
#include "structs.h"

#define BPF_INSN_SIZE 8
#define BPF_MAXINSNS_ 4096
#define SECCOMP_RET_ACTION_FULL_ 0xffff0000u

enum {
	CLASS_LD = 0, CLASS_LDX = 1, CLASS_ST = 2, CLASS_STX = 3,
	CLASS_ALU = 4, CLASS_JMP = 5, CLASS_RET = 6, CLASS_MISC = 7,
};

/* "|0x4 / * BPF_??? * /": bits the class does not define */
static void print_rest(const struct arg_ctx *ctx, unsigned rest)
{
	if (rest)
		sb_printf(ctx->sb, "|%#x /* BPF_??? */", rest);
}

static void print_part(const struct arg_ctx *ctx, const struct xlat *x,
		       unsigned value)
{
	sb_putc(ctx->sb, '|');
	ctx_print_enum(ctx, x, value, NULL);
}

static void print_code(const struct arg_ctx *ctx, unsigned code)
{
	unsigned cls = code & 0x07, rest = code & ~0x07u;
	ctx_print_enum(ctx, &xlat_bpf_class, cls, NULL);
	switch (cls) {
	case CLASS_ST: case CLASS_STX:
		print_rest(ctx, rest);
		break;
	case CLASS_LD: case CLASS_LDX:
		print_part(ctx, &xlat_bpf_size, code & 0x18);
		print_part(ctx, &xlat_bpf_mode, code & 0xe0);
		break;
	case CLASS_MISC:
		print_part(ctx, &xlat_bpf_miscop, code & 0xf8);
		print_rest(ctx, rest & ~0xf8u);
		break;
	case CLASS_ALU: case CLASS_JMP:
		print_part(ctx, &xlat_bpf_src, code & 0x08);
		print_part(ctx, cls == CLASS_ALU ? &xlat_bpf_op_alu :
			   &xlat_bpf_op_jmp, code & 0xf0);
		break;
	case CLASS_RET:
		print_part(ctx, &xlat_bpf_rval, code & 0x18);
		print_rest(ctx, rest & ~0x18u);
		break;
	}
}

/* struct sock_filter {u16 code; u8 jt; u8 jf; u32 k;} */
static bool print_insn(const struct arg_ctx *ctx, const void *elem, void *user)
{
	const unsigned char *b = elem;
	unsigned *count = user;
	if ((*count)++ >= BPF_MAXINSNS_) {
		sb_puts(ctx->sb, "...");
		return false;
	}
	unsigned code = (unsigned)field_u(b, 0, 2);
	unsigned jt = b[2], jf = b[3];
	uint32_t k = (uint32_t)field_u(b, 4, 4);
	if (jt || jf) {
		sb_puts(ctx->sb, "BPF_JUMP(");
		print_code(ctx, code);
		sb_printf(ctx->sb, ", %#x, %#x, %#x)", k, jt, jf);
		return true;
	}
	sb_puts(ctx->sb, "BPF_STMT(");
	print_code(ctx, code);
	sb_puts(ctx->sb, ", ");
	if ((code & 0x07) == CLASS_RET) {
		/* a seccomp filter's return: the action and its data */
		uint32_t action = k & SECCOMP_RET_ACTION_FULL_;
		ctx_print_enum(ctx, &xlat_seccomp_ret_action, action, NULL);
		if (k & ~action)
			sb_printf(ctx->sb, "|%#x", k & ~action);
	} else {
		sb_printf(ctx->sb, "%#x", k);
	}
	sb_putc(ctx->sb, ')');
	return true;
}

/* struct sock_fprog {unsigned short len; struct sock_filter *filter;} */
void print_seccomp_fprog(const struct arg_ctx *ctx)
{
	unsigned char b[16];
	unsigned w = ctx_word_size(ctx);
	if (!ctx_fetch(ctx, ctx->value, b, 2 * (size_t)w))
		return;
	unsigned len = (unsigned)field_u(b, 0, 2);
	uint64_t filter = field_u(b, w, w);
	sb_printf(ctx->sb, "{len=%u, filter=", len);
	if (ctx_verbose(ctx)) {
		unsigned count = 0;
		ctx_print_array(ctx, filter, len, BPF_INSN_SIZE, print_insn,
				&count);
	} else {
		ctx_print_ptr(ctx, filter);
	}
	sb_putc(ctx->sb, '}');
}
