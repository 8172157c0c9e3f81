/* Kernel key management: keyctl's commands and the arguments each takes,
 * and the keyring ids of add_key and request_key, as strace 6.1 prints
 * them: "keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 0)".
 *
 * Key ids, uids, timeouts and errors are ints the kernel cuts from the
 * registers; commands strace does not decode argument by argument
 * (INSTANTIATE_IOV, DH_COMPUTE, the PKEY_* ones, CAPABILITIES) keep their
 * raw words. */
#include "flags.h"

#include "ptrc/names.h"
#include "structs.h"
#include "xlat.h"
#include "xlat_tables.h"

enum {
	KEYCTL_GET_KEYRING_ID_CMD = 0, KEYCTL_JOIN_SESSION_KEYRING_CMD = 1,
	KEYCTL_UPDATE_CMD = 2, KEYCTL_REVOKE_CMD = 3, KEYCTL_CHOWN_CMD = 4,
	KEYCTL_SETPERM_CMD = 5, KEYCTL_DESCRIBE_CMD = 6, KEYCTL_CLEAR_CMD = 7,
	KEYCTL_LINK_CMD = 8, KEYCTL_UNLINK_CMD = 9, KEYCTL_SEARCH_CMD = 10,
	KEYCTL_READ_CMD = 11, KEYCTL_INSTANTIATE_CMD = 12,
	KEYCTL_NEGATE_CMD = 13, KEYCTL_SET_REQKEY_KEYRING_CMD = 14,
	KEYCTL_SET_TIMEOUT_CMD = 15, KEYCTL_ASSUME_AUTHORITY_CMD = 16,
	KEYCTL_GET_SECURITY_CMD = 17, KEYCTL_SESSION_TO_PARENT_CMD = 18,
	KEYCTL_REJECT_CMD = 19, KEYCTL_INSTANTIATE_IOV_CMD = 20,
	KEYCTL_INVALIDATE_CMD = 21, KEYCTL_GET_PERSISTENT_CMD = 22,
	KEYCTL_CAPABILITIES_CMD = 31, KEYCTL_RESTRICT_KEYRING_CMD = 29,
	KEYCTL_MOVE_CMD = 30,
};

/* A number with a name, printed as strace prints its decimal xlats: the
 * name, or with -X raw the number, with -X verbose both; a value without
 * a name as the number, then UNKNOWN in a comment if not NULL. */
static void print_named_int(struct strbuf *sb, enum xlat_style style,
			    int value, const char *name, const char *unknown)
{
	if (!name) {
		sb_printf(sb, "%d", value);
		if (unknown && style != XLAT_STYLE_RAW)
			sb_printf(sb, " /* %s */", unknown);
		return;
	}
	if (style == XLAT_STYLE_ABBREV) {
		sb_puts(sb, name);
		return;
	}
	sb_printf(sb, "%d", value);
	if (style == XLAT_STYLE_VERBOSE)
		sb_printf(sb, " /* %s */", name);
}

/* A key id: "KEY_SPEC_SESSION_KEYRING" or "612345678". */
void print_key_serial(const struct arg_ctx *ctx)
{
	int id = (int)ctx->value;
	print_named_int(ctx->sb, ctx_xlat_style(ctx), id,
			xlat_name(&xlat_key_spec, (uint64_t)(int64_t)id), NULL);
}

void print_keyctl_cmd(const struct arg_ctx *ctx)
{
	ctx_print_enum(ctx, &xlat_keyctl_cmd, (uint32_t)ctx->value, NULL);
}

static void print_key_reqkey(const struct arg_ctx *ctx)
{
	int v = (int)ctx->value;
	print_named_int(ctx->sb, ctx_xlat_style(ctx), v,
			xlat_name(&xlat_key_reqkey, (uint64_t)(int64_t)v),
			xlat_key_reqkey.unknown);
}

/* An errno value (KEYCTL_REJECT): its name, or the number (unsigned, as
 * the kernel takes it). */
static void print_key_error(const struct arg_ctx *ctx)
{
	uint32_t v = (uint32_t)ctx->value;
	const char *name = v <= INT32_MAX ? errno_name((int)v) : NULL;
	if (name)
		print_named_int(ctx->sb, ctx_xlat_style(ctx), (int)v, name, NULL);
	else
		sb_printf(ctx->sb, "%u", v);
}

/* uids: -1 (no change) as such, others unsigned. */
static void print_key_uid(const struct arg_ctx *ctx)
{
	uint32_t uid = (uint32_t)ctx->value;
	if (uid == UINT32_MAX)
		sb_puts(ctx->sb, "-1");
	else
		sb_printf(ctx->sb, "%u", uid);
}

static void print_key_uint(const struct arg_ctx *ctx)
{
	sb_printf(ctx->sb, "%u", (uint32_t)ctx->value);
}

static void print_key_str(const struct arg_ctx *ctx)
{
	ctx_print_cstring(ctx, ctx->value, ctx->d->config->string_limit);
}

/* The payload of UPDATE and INSTANTIATE: as many bytes as the next
 * argument says. */
static void print_key_payload(const struct arg_ctx *ctx)
{
	ctx_print_data(ctx, ctx->value, ctx_arg(ctx, ctx->index + 1));
}

static void print_key_perms(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_key_perms, (uint32_t)ctx->value);
}

static void print_key_move_flags(const struct arg_ctx *ctx)
{
	ctx_print_flags(ctx, &xlat_keyctl_move_flags, (uint32_t)ctx->value);
}

/* DESCRIBE, READ and GET_SECURITY fill a buffer at exit: what the kernel
 * wrote (the return value, at most the buffer's length); DESCRIBE's and
 * GET_SECURITY's strings without their NUL. */
static void print_key_buffer(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	uint64_t len = ctx_arg(ctx, ctx->index + 1);
	uint64_t n = ctx->rval >= 0 && (uint64_t)ctx->rval < len ?
		(uint64_t)ctx->rval : len;
	if ((uint32_t)ctx_arg(ctx, 0) != KEYCTL_READ_CMD && n && ctx->value) {
		unsigned char last;
		if (ctx_read(ctx, ctx->value + n - 1, &last, 1) && !last)
			n--;
	}
	ctx_print_data(ctx, ctx->value, n);
}

static void omit_from(struct arg_layout layout[SYSCALL_MAX_ARGS], unsigned first)
{
	for (unsigned i = first; i < SYSCALL_MAX_ARGS; i++)
		layout[i].omit = true;
}

/* Up to four arguments after the command, in order; NULL ends the list
 * (the rest are left out). */
static void set_args(struct arg_layout l[SYSCALL_MAX_ARGS], arg_printer a1,
		     arg_printer a2, arg_printer a3, arg_printer a4)
{
	arg_printer p[4] = { a1, a2, a3, a4 };
	for (unsigned i = 0; i < 4; i++) {
		if (!p[i]) {
			omit_from(l, i + 1);
			return;
		}
		l[i + 1].print = p[i];
	}
}

void layout_keyctl_cmd(const struct syscall_call *call, unsigned index,
		       struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	if (index != 0 || call->sig->nargs < 5)
		return;
	struct arg_layout *l = layout;
	arg_printer key = print_key_serial;
	switch ((uint32_t)call->args[0]) {
	case KEYCTL_GET_KEYRING_ID_CMD:
		set_args(l, key, print_arg_dec, NULL, NULL);
		return;
	case KEYCTL_JOIN_SESSION_KEYRING_CMD:
		set_args(l, print_key_str, NULL, NULL, NULL);
		return;
	case KEYCTL_UPDATE_CMD:
		set_args(l, key, print_key_payload, print_arg_udec, NULL);
		return;
	case KEYCTL_REVOKE_CMD: case KEYCTL_CLEAR_CMD:
	case KEYCTL_INVALIDATE_CMD: case KEYCTL_ASSUME_AUTHORITY_CMD:
		set_args(l, key, NULL, NULL, NULL);
		return;
	case KEYCTL_CHOWN_CMD:
		set_args(l, key, print_key_uid, print_key_uid, NULL);
		return;
	case KEYCTL_SETPERM_CMD:
		set_args(l, key, print_key_perms, NULL, NULL);
		return;
	case KEYCTL_DESCRIBE_CMD: case KEYCTL_READ_CMD:
	case KEYCTL_GET_SECURITY_CMD:
		set_args(l, key, print_key_buffer, print_arg_udec, NULL);
		l[2].at_exit = true;
		return;
	case KEYCTL_LINK_CMD: case KEYCTL_UNLINK_CMD:
		set_args(l, key, key, NULL, NULL);
		return;
	case KEYCTL_SEARCH_CMD:
		set_args(l, key, print_key_str, print_key_str, key);
		return;
	case KEYCTL_INSTANTIATE_CMD:
		set_args(l, key, print_key_payload, print_arg_udec, key);
		return;
	case KEYCTL_NEGATE_CMD:
		set_args(l, key, print_key_uint, key, NULL);
		return;
	case KEYCTL_SET_REQKEY_KEYRING_CMD:
		set_args(l, print_key_reqkey, NULL, NULL, NULL);
		return;
	case KEYCTL_SET_TIMEOUT_CMD:
		set_args(l, key, print_key_uint, NULL, NULL);
		return;
	case KEYCTL_SESSION_TO_PARENT_CMD:
		omit_from(l, 1);
		return;
	case KEYCTL_REJECT_CMD:
		set_args(l, key, print_key_uint, print_key_error, key);
		return;
	case KEYCTL_GET_PERSISTENT_CMD:
		set_args(l, print_key_uid, key, NULL, NULL);
		return;
	case KEYCTL_RESTRICT_KEYRING_CMD:
		set_args(l, key, print_key_str, print_key_str, NULL);
		return;
	case KEYCTL_MOVE_CMD:
		set_args(l, key, key, key, print_key_move_flags);
		return;
	case KEYCTL_INSTANTIATE_IOV_CMD: case KEYCTL_CAPABILITIES_CMD:
	case 23: case 24: case 25: case 26: case 27: case 28:
		return;   /* not decoded here: the raw words */
	default:
		/* strace: all four in hex, whole registers */
		for (unsigned i = 1; i < 5; i++)
			l[i].print = print_arg_hex;
	}
}
