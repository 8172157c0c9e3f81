/* ptrace's arguments as strace 6.1 prints them: the request names which
 * of pid, addr and data show, and how: PTRACE_TRACEME alone, the
 * attach-like requests with their pid alone, a signal for the resuming
 * requests, PTRACE_O_* options, register set types (NT_*), sizes in
 * decimal, the word PTRACE_PEEK* stores and the siginfo or signal mask a
 * getter fills, at exit. Not yet decoded as strace does (printed as
 * addresses): PTRACE_PEEKUSER/POKEUSER's offsets into struct user, the
 * register sets (the iovec of PTRACE_GETREGSET, x86's PTRACE_GETREGS
 * buffer), PTRACE_PEEKSIGINFO's siginfo array, PTRACE_GET_SYSCALL_INFO's
 * structure, seccomp filters and metadata. */
#include "flags.h"

#include <linux/ptrace.h>

#include "structs.h"
#include "xlat.h"
#include "xlat_tables.h"

#define PT_ARG_PID 1
#define PT_ARG_ADDR 2
#define PT_ARG_DATA 3

/* The request numbers a layout needs, as the kernel's generic ABI numbers
 * them (linux/ptrace.h calls the user-area ones PEEKUSR and POKEUSR). */
#define REQ_PEEKUSER 3

void print_ptrace_req(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_ptrace_req, ctx->value, NULL);
}

static void print_pt_signal(const struct arg_ctx *ctx)
{
	print_signal_styled(ctx, (uint32_t)ctx->value);
}

static void print_pt_options(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_ptrace_options, ctx->value);
}

static void print_nt_type(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_nt_type, ctx->value, NULL);
}

/* "[0x7f...]" ("[NULL]"): the word PTRACE_PEEK* stored at data */
static void print_peeked_word(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b,
					    ctx_word_size(ctx)))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_ptr(ctx, field_u(b, 0, ctx_word_size(ctx)));
	sb_putc(ctx->sb, ']');
}

/* "[17]": PTRACE_GETEVENTMSG's unsigned long */
static void print_event_msg(const struct arg_ctx *ctx)
{
	unsigned char b[8];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, b,
					    ctx_word_size(ctx)))
		return;
	sb_printf(ctx->sb, "[%llu]",
		  (unsigned long long)field_u(b, 0, ctx_word_size(ctx)));
}

/* struct ptrace_peeksiginfo_args {u64 off; u32 flags; s32 nr;} */
static void print_peeksiginfo_args(const struct arg_ctx *ctx)
{
	unsigned char b[16];
	if (!ctx_fetch(ctx, ctx->value, b, sizeof b))
		return;
	sb_printf(ctx->sb, "{off=%llu, flags=",
		  (unsigned long long)field_u(b, 0, 8));
	ctx_print_flags(ctx, &xlat_ptrace_peeksiginfo_flags, field_u(b, 8, 4));
	sb_printf(ctx->sb, ", nr=%u}", (unsigned)field_u(b, 12, 4));
}

/* PTRACE_GETREGSET/SETREGSET's struct iovec: its iov_len at entry is
 * saved, and a length the kernel changed shows as "8 => 4". The
 * registers themselves are not decoded yet: iov_base is an address. */
static bool fetch_iovec(const struct arg_ctx *ctx, uint64_t *base,
			uint64_t *len)
{
	unsigned w = ctx_word_size(ctx);
	unsigned char b[16];
	if (!ctx->value || !ctx_read(ctx, ctx->value, b, 2 * w))
		return false;
	*base = field_u(b, 0, w);
	*len = field_u(b, w, w);
	return true;
}

static void entry_save_regset_iovec(const struct arg_ctx *ctx)
{
	uint64_t base, len;
	if (fetch_iovec(ctx, &base, &len))
		ctx_save(ctx, len);
}

static void print_regset_iovec(const struct arg_ctx *ctx)
{
	uint64_t base, len, old;
	if (!ctx_saved(ctx, &old) || !fetch_iovec(ctx, &base, &len)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	sb_puts(ctx->sb, "{iov_base=");
	ctx_print_ptr(ctx, base);
	sb_printf(ctx->sb, ", iov_len=%llu", (unsigned long long)old);
	if (old != len)
		sb_printf(ctx->sb, " => %llu", (unsigned long long)len);
	sb_putc(ctx->sb, '}');
}

static void at_exit(struct arg_layout *l, arg_printer print)
{
	l->print = print;
	l->at_exit = true;
}

void layout_ptrace_req(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index != 0 || call->sig->nargs < 4)
		return;
	uint64_t req = call_word(call, call->args[0]);
	struct arg_layout *addr = &layout[PT_ARG_ADDR];
	struct arg_layout *data = &layout[PT_ARG_DATA];
	switch (req) {
	case PTRACE_TRACEME:
		layout[PT_ARG_PID].omit = addr->omit = data->omit = true;
		return;
	case PTRACE_ATTACH: case PTRACE_INTERRUPT: case PTRACE_KILL:
	case PTRACE_LISTEN:
		addr->omit = data->omit = true;
		return;
	case PTRACE_CONT: case PTRACE_DETACH: case PTRACE_SYSCALL:
	case PTRACE_SINGLESTEP:
#ifdef PTRACE_SINGLEBLOCK
	case PTRACE_SINGLEBLOCK:
#endif
#ifdef PTRACE_SYSEMU
	case PTRACE_SYSEMU: case PTRACE_SYSEMU_SINGLESTEP:
#endif
		data->print = print_pt_signal;
		return;
	case PTRACE_SEIZE: case PTRACE_SETOPTIONS:
#ifdef PTRACE_OLDSETOPTIONS
	case PTRACE_OLDSETOPTIONS:
#endif
		data->print = print_pt_options;
		return;
	case PTRACE_GETREGSET: case PTRACE_SETREGSET:
		addr->print = print_nt_type;
		at_exit(data, print_regset_iovec);
		data->entry_hook = entry_save_regset_iovec;
		return;
	case PTRACE_SETSIGINFO:
		data->print = print_siginfo_in;
		return;
	case PTRACE_GETSIGINFO:
		at_exit(data, print_siginfo_out);
		return;
	case PTRACE_SETSIGMASK:
		addr->print = print_arg_udec;
		data->print = print_sigset_in;
		return;
	case PTRACE_GETSIGMASK:
		addr->print = print_arg_udec;
		at_exit(data, print_sigset_out);
		return;
	case PTRACE_SECCOMP_GET_FILTER: case PTRACE_SECCOMP_GET_METADATA:
	case PTRACE_GET_SYSCALL_INFO:
		addr->print = print_arg_udec;
		return;
	case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA: case REQ_PEEKUSER:
		at_exit(data, print_peeked_word);
		return;
	case PTRACE_GETEVENTMSG:
		at_exit(data, print_event_msg);
		return;
	case PTRACE_PEEKSIGINFO:
		addr->print = print_peeksiginfo_args;
		return;
#ifdef PTRACE_GETREGS
	/* the registers' buffer is data; strace leaves addr out */
	case PTRACE_GETREGS: case PTRACE_GETFPREGS:
		addr->omit = true;
		data->at_exit = true;
		return;
	case PTRACE_SETREGS: case PTRACE_SETFPREGS:
		addr->omit = true;
		return;
#endif
	}
}
