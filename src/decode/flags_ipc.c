/* SysV IPC arguments as strace 6.1 prints them: keys (IPC_PRIVATE), the
 * get calls' flags with the permission bits after them
 * ("IPC_CREAT|IPC_EXCL|0600", shmget's huge page size as "21<<
 * SHM_HUGE_SHIFT"), msgsnd/msgrcv/semop/shmat flags, and the ctl
 * commands ("IPC_64|IPC_STAT"), whose layouts pick the buffer's printer
 * (structs_ipc.c) and when it prints. */
#include "flags.h"

#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "structs.h"
#include "xlat.h"
#include "xlat_tables.h"

#define IPC_MODE_BITS 0777u
#define IPC_64_FLAG 0x100u
#define SHM_HUGE_SHIFT_ 26
#define SHM_HUGE_MASK_ 0x3fu


void print_ipc_key(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_ipc_key, (uint32_t)ctx->value, NULL);
}

/* strace's printflags with no default text: nothing for 0; returns
 * whether a "|" follows (a name was printed, or any value under -X raw). */
static bool print_flags_quiet(const struct arg_ctx *ctx, const struct xlat *x,
			      uint32_t value)
{
	if (!value)
		return false;
	enum xlat_style style = ctx_xlat_style(ctx);
	size_t mark = xlat_start(ctx->sb);
	size_t start = ctx->sb->len;
	uint64_t rest = print_flags_known(ctx->sb, x, value, false);
	bool named = ctx->sb->len != start;
	if (!named)
		print_unknown(ctx->sb, rest, NULL);
	else if (rest)
		sb_printf(ctx->sb, "|%#llx", (unsigned long long)rest);
	xlat_finish(ctx->sb, style, mark, value);
	return named || style == XLAT_STYLE_RAW;
}

void print_ipc_get_flags(const struct arg_ctx *ctx)
{
	uint32_t v = (uint32_t)ctx->value;
	if (print_flags_quiet(ctx, &xlat_ipc_get_flags, v & ~IPC_MODE_BITS))
		sb_putc(ctx->sb, '|');
	sb_printf(ctx->sb, "%#03o", v & IPC_MODE_BITS);
}

/* shmget: the flags, the huge page size ("21<<SHM_HUGE_SHIFT"), the mode */
void print_shmget_flags(const struct arg_ctx *ctx)
{
	uint32_t v = (uint32_t)ctx->value;
	uint32_t flags = v & ~IPC_MODE_BITS;
	uint32_t huge = flags & (SHM_HUGE_MASK_ << SHM_HUGE_SHIFT_);
	flags &= ~huge;
	if (flags)
		print_flags_quiet(ctx, &xlat_shmget_flags, flags);
	if (huge) {
		if (flags)
			sb_putc(ctx->sb, '|');
		sb_printf(ctx->sb, "%u<<", huge >> SHM_HUGE_SHIFT_);
		switch (ctx_xlat_style(ctx)) {
		case XLAT_STYLE_RAW:
			sb_printf(ctx->sb, "%d", SHM_HUGE_SHIFT_);
			break;
		case XLAT_STYLE_VERBOSE:
			sb_printf(ctx->sb, "%d /* SHM_HUGE_SHIFT */", SHM_HUGE_SHIFT_);
			break;
		default:
			sb_puts(ctx->sb, "SHM_HUGE_SHIFT");
		}
	}
	if (flags || huge)
		sb_putc(ctx->sb, '|');
	sb_printf(ctx->sb, "%#03o", v & IPC_MODE_BITS);
}

void print_ipc_msg_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_ipc_msg_flags, (uint32_t)ctx->value);
}

void print_shmat_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_shmat_flags, (uint32_t)ctx->value);
}

/* "IPC_64|IPC_STAT" */
static void print_ctl_cmd(const struct arg_ctx *ctx, const struct xlat *x)
{
	uint32_t cmd = (uint32_t)ctx->value;
	if (cmd & IPC_64_FLAG) {
		ctx_print_enum(ctx, &xlat_ipc_64, IPC_64_FLAG, NULL);
		sb_putc(ctx->sb, '|');
	}
	ctx_print_enum(ctx, x, cmd & ~IPC_64_FLAG, NULL);
}

void print_msgctl_cmd(const struct arg_ctx *ctx)
{
	print_ctl_cmd(ctx, &xlat_msgctl_cmd);
}

void print_semctl_cmd(const struct arg_ctx *ctx)
{
	print_ctl_cmd(ctx, &xlat_semctl_cmd);
}

void print_shmctl_cmd(const struct arg_ctx *ctx)
{
	print_ctl_cmd(ctx, &xlat_shmctl_cmd);
}

/* What a ctl command's buffer is: printed by PRINT, at entry (IPC_SET)
 * or at exit (the getters); commands not listed take an address. */
struct ctl_buf {
	uint32_t cmd;
	arg_printer print;
	bool at_exit;
};

static const struct ctl_buf msgctl_bufs[] = {
	{ IPC_SET, print_msqid_ds_set, false },
	{ IPC_STAT, print_msqid_ds_out, true },
	{ MSG_STAT, print_msqid_ds_out, true },
	{ MSG_STAT_ANY, print_msqid_ds_out, true },
	{ IPC_INFO, print_msginfo_out, true },
	{ MSG_INFO, print_msginfo_out, true },
};

static const struct ctl_buf semctl_bufs[] = {
	{ IPC_SET, print_semid_ds_set, false },
	{ IPC_STAT, print_semid_ds_out, true },
	{ SEM_STAT, print_semid_ds_out, true },
	{ SEM_STAT_ANY, print_semid_ds_out, true },
	{ IPC_INFO, print_seminfo_out, true },
	{ SEM_INFO, print_seminfo_out, true },
};

static const struct ctl_buf shmctl_bufs[] = {
	{ IPC_SET, print_shmid_ds_set, false },
	{ IPC_STAT, print_shmid_ds_out, true },
	{ SHM_STAT, print_shmid_ds_out, true },
	{ SHM_STAT_ANY, print_shmid_ds_out, true },
	{ IPC_INFO, print_shminfo_out, true },
	{ SHM_INFO, print_shm_info_out, true },
};

static void layout_ctl_buf(const struct ctl_buf *bufs, size_t n,
			   const struct syscall_call *call, unsigned index,
			   struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index + 1 >= SYSCALL_MAX_ARGS)
		return;
	struct arg_layout *l = &layout[index + 1];
	uint32_t cmd = (uint32_t)call->args[index] & ~IPC_64_FLAG;
	l->print = print_arg_ptr;
	for (size_t i = 0; i < n; i++)
		if (bufs[i].cmd == cmd) {
			l->print = bufs[i].print;
			l->at_exit = bufs[i].at_exit;
		}
}

void layout_msgctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	layout_ctl_buf(msgctl_bufs, ARRAY_COUNT(msgctl_bufs), call, index, layout);
}

void layout_semctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	layout_ctl_buf(semctl_bufs, ARRAY_COUNT(semctl_bufs), call, index, layout);
}

void layout_shmctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	layout_ctl_buf(shmctl_bufs, ARRAY_COUNT(shmctl_bufs), call, index, layout);
}
