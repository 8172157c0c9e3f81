/* mount(2) and umount2(2) as strace 6.1 prints them: the MS_* flags (a
 * word) after the old magic number MS_MGC_VAL when it is there, and the
 * filesystem type and data as strings unless the flags say the kernel
 * ignores them (MS_REMOUNT: the type; MS_BIND, MS_MOVE and the
 * propagation changes: both), then as addresses. umount2's MNT_* flags.
 * The new mount API's flags, and fsconfig's command deciding what its
 * key, value and aux are (FSCONFIG_SET_BINARY's bytes not yet decoded:
 * an address). */
#include "flags.h"

#include <limits.h>
#include <sys/mount.h>

#include "ptrc/decode.h"
#include "structs.h"
#include "xlat.h"
#include "xlat_tables.h"

#define MOUNT_ARG_FLAGS 3
#define MS_MGC_VAL_ 0xc0ed0000ull
#define MS_MGC_MSK_ 0xffff0000ull

static uint64_t mount_flags(const struct arg_ctx *ctx)
{
	uint64_t flags = ctx_arg(ctx, MOUNT_ARG_FLAGS);
	if ((flags & MS_MGC_MSK_) == MS_MGC_VAL_)
		flags &= ~MS_MGC_MSK_;
	return flags;
}

static bool ignores_type(uint64_t flags)
{
	return flags & (MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED |
			MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE);
}

static bool ignores_data(uint64_t flags)
{
	return !(flags & MS_REMOUNT) &&
	       (flags & (MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE |
			 MS_SLAVE | MS_UNBINDABLE));
}

static void print_str_or_ptr(const struct arg_ctx *ctx, bool ignored)
{
	if (ignored)
		ctx_print_ptr(ctx, ctx->value);
	else
		ctx_print_cstring(ctx, ctx->value, ctx->d->config->string_limit);
}

void print_mount_fstype(const struct arg_ctx *ctx)
{
	print_str_or_ptr(ctx, ignores_type(mount_flags(ctx)));
}

void print_mount_data(const struct arg_ctx *ctx)
{
	print_str_or_ptr(ctx, ignores_data(mount_flags(ctx)));
}

void print_mount_flags(const struct arg_ctx *ctx)
{
	uint64_t flags = ctx->value;
	bool magic = (flags & MS_MGC_MSK_) == MS_MGC_VAL_;
	if (magic) {
		flags &= ~MS_MGC_MSK_;
		ctx_print_enum(ctx, &xlat_mount_magic, MS_MGC_VAL_, NULL);
		if (!flags)
			return;
		sb_putc(ctx->sb, '|');
	}
	ctx_print_flags(ctx, &xlat_mount_flags, flags);
}

void print_umount_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_umount_flags, (uint32_t)ctx->value);
}

/* ---- the new mount API: fsopen, fsmount, fspick, move_mount,
 * open_tree, fsconfig ---- */

void print_fsopen_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_fsopen_flags, (uint32_t)ctx->value);
}

void print_fsmount_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_fsmount_flags, (uint32_t)ctx->value);
}

void print_fsmount_attr_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_fsmount_attr_flags, (uint32_t)ctx->value);
}

void print_fspick_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_fspick_flags, (uint32_t)ctx->value);
}

void print_move_mount_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_move_mount_flags, (uint32_t)ctx->value);
}

void print_open_tree_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_open_tree_flags, (uint32_t)ctx->value);
}

void print_fsconfig_cmd(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_fsconfig_cmd, (uint32_t)ctx->value, NULL);
}

#define FSCONFIG_KEY_MAX 256
#define FSC_ARG_KEY 2
#define FSC_ARG_VALUE 3
#define FSC_ARG_AUX 4

/* a key or string value: NUL-terminated in at most 256 bytes */
static void print_fsconfig_string(const struct arg_ctx *ctx)
{
	ctx_print_cstring_len(ctx, ctx->value, FSCONFIG_KEY_MAX);
}

static void print_fsconfig_path(const struct arg_ctx *ctx)
{
	ctx_print_cstring(ctx, ctx->value, PATH_MAX - 1);
}

static void print_dirfd_arg(const struct arg_ctx *ctx)
{
	decode_dirfd(ctx->sb, ctx->call->tid, (int)ctx->value,
		     ctx->d->config->decode_fds, ctx_xlat_style(ctx));
}

static void print_fd_arg(const struct arg_ctx *ctx)
{
	decode_fd(ctx->sb, ctx->call->tid, (int)ctx->value,
		  ctx->d->config->decode_fds);
}

void layout_fsconfig_cmd(const struct syscall_call *call, unsigned index,
			 struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index != 1 || call->sig->nargs < 5)
		return;
	struct arg_layout *key = &layout[FSC_ARG_KEY];
	struct arg_layout *value = &layout[FSC_ARG_VALUE];
	struct arg_layout *aux = &layout[FSC_ARG_AUX];
	key->print = print_arg_ptr;
	value->print = print_arg_ptr;
	aux->print = print_arg_dec;
	switch ((uint32_t)call->args[index]) {
	case FSCONFIG_CMD_CREATE: case FSCONFIG_CMD_RECONFIGURE:
		return;
	case FSCONFIG_SET_STRING:
		value->print = print_fsconfig_string;
		break;
	case FSCONFIG_SET_PATH: case FSCONFIG_SET_PATH_EMPTY:
		value->print = print_fsconfig_path;
		aux->print = print_dirfd_arg;
		break;
	case FSCONFIG_SET_BINARY:
		/* not yet: strace shows aux bytes of value in hex */
		break;
	case FSCONFIG_SET_FD:
		aux->print = print_fd_arg;
		break;
	case FSCONFIG_SET_FLAG:
		break;
	default:
		return;
	}
	key->print = print_fsconfig_string;
}
