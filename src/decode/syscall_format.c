/* Syscall arguments and return values, by argument kind. Each kind has a
 * base representation (argkinds.tbl); kinds with richer decoders are
 * dispatched before the base. */
#include "ptrc/decode.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/mem.h"
#include "ptrc/names.h"
#include "printers.h"

/* Paths are printed whole, as strace does: up to PATH_MAX - 1 bytes, with
 * "..." when no NUL comes within PATH_MAX (its printpathn). */
#define PATH_LIMIT 4095

static const struct syscall_sig *socketcall_sub_sig(const struct syscall_call *call);

const struct syscall_sig *syscall_shown_sig(const struct syscall_call *call)
{
	const struct syscall_sig *sub = socketcall_sub_sig(call);
	return sub ? sub : call->sig;
}

bool decode_returns_fd(const struct syscall_call *call)
{
	const struct syscall_sig *sig = syscall_shown_sig(call);
	if (!sig)
		return false;
	if (sig->ret == RET_FD)
		return true;
	/* fcntl's F_DUPFD and F_DUPFD_CLOEXEC return a new descriptor. */
	for (unsigned i = 0; i < sig->nargs; i++)
		if (sig->kinds[i] == ARG_FCNTL_CMD) {
			uint32_t cmd = (uint32_t)call->args[i];
			return cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC;
		}
	return false;
}

const char *syscall_display_name(const struct syscall_call *call,
				 char buf[static 32])
{
	const struct syscall_sig *sig = syscall_shown_sig(call);
	if (sig)
		return sig->name;
	snprintf(buf, 32, "syscall_%#llx", (unsigned long long)call->nr);
	return buf;
}

static int64_t signed_word(const struct syscall_call *call, uint64_t value)
{
	return arch_word_size(call->arch) == 4 ? (int32_t)value : (int64_t)value;
}

static void forget_saved(const struct syscall_call *call)
{
	if (call->saved)
		call->saved->mask = 0;
}

/* ---- i386 socketcall(call, args) ----
 *
 * The multiplexer's second argument points at the sub-call's arguments.
 * strace shows the sub-call as if it had been made directly, e.g.
 * "socket(AF_INET, SOCK_DGRAM, IPPROTO_IP)": the line takes the sub-call's
 * name (syscall_display_name) and its arguments are read from the array
 * and printed by the sub-call's own signature (send and recv, which have
 * no syscall of their own, have signatures for this). Unknown numbers
 * print as socketcall. */
static const char *const socketcall_names[] = {
	[1] = "socket", [2] = "bind", [3] = "connect", [4] = "listen",
	[5] = "accept", [6] = "getsockname", [7] = "getpeername",
	[8] = "socketpair", [9] = "send", [10] = "recv",
	[11] = "sendto", [12] = "recvfrom",
	[13] = "shutdown", [14] = "setsockopt", [15] = "getsockopt",
	[16] = "sendmsg", [17] = "recvmsg", [18] = "accept4",
	[19] = "recvmmsg", [20] = "sendmmsg",
};
#define SOCKETCALL_COUNT (sizeof socketcall_names / sizeof socketcall_names[0])

/* socketcall's own signature, looked up by name once: this test runs
 * several times for every call decoded. */
static bool is_socketcall(const struct syscall_sig *sig)
{
	static const struct syscall_sig *socketcall;
	static bool looked;
	if (!looked) {
		for (unsigned i = 0; i < syscall_sig_count && !socketcall; i++)
			if (!strcmp(syscall_sigs[i].name, "socketcall"))
				socketcall = &syscall_sigs[i];
		looked = true;
	}
	return sig && sig == socketcall;
}

static const struct syscall_sig *socketcall_sub_sig(const struct syscall_call *call)
{
	if (!is_socketcall(call->sig))
		return NULL;
	uint64_t n = call_word(call, call->args[0]);
	if (n >= SOCKETCALL_COUNT || !socketcall_names[n])
		return NULL;
	/* by name: i386 has no direct accept, yet its signature is shared */
	static const struct syscall_sig *sigs[SOCKETCALL_COUNT];
	if (!sigs[n])
		for (unsigned i = 0; i < syscall_sig_count; i++)
			if (!strcmp(syscall_sigs[i].name, socketcall_names[n])) {
				sigs[n] = &syscall_sigs[i];
				break;
			}
	return sigs[n];
}

/* The sub-call of a socketcall, its arguments read into ARGS; false when
 * CALL is no socketcall or the array cannot be read. */
static bool socketcall_sub(const struct syscall_call *call,
			   struct syscall_call *sub,
			   uint64_t args[SYSCALL_MAX_ARGS])
{
	const struct syscall_sig *sig = socketcall_sub_sig(call);
	if (!sig)
		return false;
	unsigned w = arch_word_size(call->arch);
	unsigned char buf[SYSCALL_MAX_ARGS * 8];
	uint64_t addr = call_word(call, call->args[1]);
	if (!addr || mem_read(call->tid, addr, buf, sig->nargs * (size_t)w) !=
		     (ssize_t)(sig->nargs * (size_t)w))
		return false;
	memset(args, 0, SYSCALL_MAX_ARGS * sizeof args[0]);
	for (unsigned i = 0; i < sig->nargs; i++) {
		uint64_t v = 0;
		memcpy(&v, buf + i * w, w);   /* little-endian tracee */
		args[i] = v;
	}
	*sub = *call;
	sub->sig = sig;
	sub->args = args;
	return true;
}

/* ---- i386: 64-bit arguments in two registers ----
 *
 * On i386, pread64's offset, fallocate's offset and length... come in two
 * registers, low word first; strace prints each pair as one number. The
 * shared signatures give the 64-bit meaning (one `off` argument), so for an
 * i386 tracee each `off` of the syscalls below takes two slots: a copy of
 * the signature with a slot after each, printed as a pair and the second
 * left out. fadvise64_64, truncate64 and ftruncate64 exist on i386 only and
 * list both halves already. (_llseek, high word first, has its own
 * layout.) */
static const char *const split_shared[] = {
	"pread64", "pwrite64", "preadv", "pwritev", "readahead", "fadvise64",
	"fallocate", "sync_file_range",
};
#define SPLIT_SHARED_COUNT (sizeof split_shared / sizeof split_shared[0])
static const struct {
	const char *name;
	uint8_t pairs;   /* bit i: arguments i (low) and i + 1 (high) */
} split_own[] = {
	{ "fadvise64_64", 1u << 1 | 1u << 3 }, { "truncate64", 1u << 1 },
	{ "ftruncate64", 1u << 1 }, { "preadv2", 1u << 3 }, { "pwritev2", 1u << 3 },
};

static struct split_sig {
	const struct syscall_sig *orig;
	struct syscall_sig sig;
	uint8_t pairs;
} split_sigs[SPLIT_SHARED_COUNT];

static bool i386_split_sub(const struct syscall_call *call,
			   struct syscall_call *sub)
{
	if (call->arch != PTRC_ARCH_I386 || !call->sig)
		return false;
	for (unsigned n = 0; n < SPLIT_SHARED_COUNT; n++) {
		if (strcmp(call->sig->name, split_shared[n]) != 0)
			continue;
		struct split_sig *s = &split_sigs[n];
		if (!s->orig) {
			const struct syscall_sig *o = call->sig;
			uint8_t map[SYSCALL_MAX_ARGS];
			unsigned j = 0;
			s->sig = *o;
			for (unsigned i = 0; i < o->nargs && j < SYSCALL_MAX_ARGS; i++) {
				map[i] = (uint8_t)j;
				s->sig.kinds[j++] = o->kinds[i];
				if (o->kinds[i] == ARG_OFF && j < SYSCALL_MAX_ARGS) {
					s->pairs |= (uint8_t)(1u << (j - 1));
					s->sig.kinds[j++] = ARG_ULONG;
				}
			}
			s->sig.nargs = (uint8_t)j;
			for (unsigned i = 0; i < SYSCALL_MAX_ARGS; i++)
				s->sig.aux[i] = 0xff;
			for (unsigned i = 0; i < o->nargs; i++)
				if (o->aux[i] < o->nargs)
					s->sig.aux[map[i]] = map[o->aux[i]];
			s->orig = o;
		}
		*sub = *call;
		sub->sig = &s->sig;
		return true;
	}
	return false;
}

static uint8_t i386_pairs(const struct syscall_call *call)
{
	if (call->arch != PTRC_ARCH_I386 || !call->sig)
		return 0;
	for (unsigned n = 0; n < SPLIT_SHARED_COUNT; n++)
		if (call->sig == &split_sigs[n].sig)
			return split_sigs[n].pairs;
	for (unsigned n = 0; n < sizeof split_own / sizeof split_own[0]; n++)
		if (!strcmp(call->sig->name, split_own[n].name))
			return split_own[n].pairs;
	return 0;
}

static void print_split64(const struct arg_ctx *ctx)
{
	uint64_t v = ctx_arg(ctx, ctx->index + 1) << 32 |
		     (ctx_arg(ctx, ctx->index) & 0xffffffffu);
	sb_put_dec(ctx->sb, (long long)v);
}

/* The call as printed: a socketcall's sub-call (false when its arguments
 * cannot be read: *UNREADABLE set), an i386 call with split arguments. */
static const struct syscall_call *printed_call(const struct syscall_call *call,
					       struct syscall_call *sub,
					       uint64_t sub_args[SYSCALL_MAX_ARGS],
					       bool *unreadable)
{
	*unreadable = false;
	if (socketcall_sub(call, sub, sub_args))
		return sub;
	if (socketcall_sub_sig(call)) {
		*unreadable = true;
		return call;
	}
	if (i386_split_sub(call, sub))
		return sub;
	return call;
}

/* The plain representation of a kind without a richer printer. */
static void print_base(const struct arg_ctx *ctx, enum arg_base base)
{
	const struct syscall_sig *sig = ctx->call->sig;
	struct strbuf *sb = ctx->sb;
	uint64_t value = ctx->value;
	uint8_t aux = sig->aux[ctx->index];

	switch (base) {
	case BASE_DEC:
		sb_put_dec(sb, (int)value);
		return;
	case BASE_LDEC:
		sb_put_dec(sb, (long long)signed_word(ctx->call, value));
		return;
	case BASE_UDEC:
		sb_put_udec(sb, (unsigned long long)value);
		return;
	case BASE_HEX:
		sb_put_hex(sb, (unsigned long long)value);
		return;
	case BASE_OCT:
		sb_printf(sb, "%#03llo", (unsigned long long)value);
		return;
	case BASE_PTR:
		ctx_print_ptr(ctx, value);
		return;
	case BASE_FD:
		if (sig->kinds[ctx->index] == ARG_DIRFD)
			decode_dirfd(sb, ctx->call->tid, (int)value,
				     ctx->d->config->decode_fds, ctx_xlat_style(ctx));
		else
			decode_fd(sb, ctx->call->tid, (int)value,
				  ctx->d->config->decode_fds);
		return;
	case BASE_PATH:
		ctx_print_cstring(ctx, value, PATH_LIMIT);
		return;
	case BASE_STR:
		ctx_print_cstring(ctx, value, ctx->d->config->string_limit);
		return;
	case BASE_IBUF:
		if (aux < sig->nargs)
			ctx_print_data(ctx, value, ctx_arg(ctx, aux));
		else
			ctx_print_ptr(ctx, value);
		return;
	case BASE_OBUF:
		if (ctx->is_error || ctx->rval < 0)
			ctx_print_ptr(ctx, value);
		else
			ctx_print_data(ctx, value, (uint64_t)ctx->rval);
		return;
	}
	ctx_print_ptr(ctx, value);
}

/* The call's layout (printers.h): what the kinds with a layout function
 * say about the other arguments. */
static void call_layout(const struct syscall_call *call,
			struct arg_layout layout[SYSCALL_MAX_ARGS])
{
	memset(layout, 0, sizeof(struct arg_layout) * SYSCALL_MAX_ARGS);
	for (unsigned i = 0; i < call->sig->nargs; i++) {
		arg_layout_fn fn = kind_layouts[call->sig->kinds[i]];
		if (fn)
			fn(call, i, layout);
	}
	for (unsigned i = 0; i < call->sig->nargs; i++)
		if (call->sig->kinds[i] == ARG_OFF_HIGH &&
		    arch_word_size(call->arch) == 8)
			layout[i].omit = true;
	uint8_t pairs = i386_pairs(call);
	for (unsigned i = 0; pairs && i + 1 < call->sig->nargs; i++)
		if (pairs & (1u << i)) {
			layout[i].print = print_split64;
			layout[i + 1].omit = true;
		}
}

static bool prints_at_exit(const struct syscall_call *call,
			   const struct arg_layout *layout, unsigned i)
{
	return layout[i].at_exit ||
	       arg_kinds[call->sig->kinds[i]].when == ARG_AT_EXIT;
}

const struct syscall_call *decode_shown_call(const struct syscall_call *call,
					     struct syscall_call *sub,
					     uint64_t sub_args[SYSCALL_MAX_ARGS])
{
	bool unreadable;
	return printed_call(call, sub, sub_args, &unreadable);
}

bool decode_arg_info(const struct syscall_call *call, unsigned i,
		     uint64_t *raw, bool *at_exit)
{
	*raw = i < SYSCALL_MAX_ARGS ? call_word(call, call->args[i]) : 0;
	*at_exit = false;
	if (!call->sig || i >= call->sig->nargs)
		return i < SYSCALL_MAX_ARGS;
	struct arg_layout layout[SYSCALL_MAX_ARGS];
	call_layout(call, layout);
	if (layout[i].omit)
		return false;
	if (layout[i].print == print_split64 && i + 1 < SYSCALL_MAX_ARGS)
		*raw = call_word(call, call->args[i + 1]) << 32 | *raw;
	for (unsigned j = 0; j <= i; j++)
		if (!layout[j].omit && prints_at_exit(call, layout, j)) {
			*at_exit = true;  /* this one, or all after it */
			break;
		}
	return true;
}

/* Whether an argument after I is shown, so I needs a separator. */
static bool shown_after(const struct syscall_call *call,
			const struct arg_layout *layout, unsigned i)
{
	for (unsigned j = i + 1; j < call->sig->nargs; j++)
		if (!layout[j].omit)
			return true;
	return false;
}

/* PRINT: the layout's printer for the argument, or NULL for its kind's. */
static void print_arg(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call, unsigned i,
		      bool exiting, int64_t rval, bool is_error,
		      arg_printer print)
{
	enum arg_kind kind = call->sig->kinds[i];
	struct arg_ctx ctx = {
		.d = d,
		.sb = sb,
		.call = call,
		.index = i,
		.value = call_arg(call, i),
		.exiting = exiting,
		.rval = rval,
		.is_error = is_error,
	};
	if (!print)
		print = kind_printers[kind];
	if (print)
		print(&ctx);
	else
		print_base(&ctx, arg_kinds[kind].base);
}

/* Arguments printed at exit (from FIRST on) may need a value the kernel
 * overwrites: their kinds' entry hooks save it now. */
static void save_entry_values(struct decoder *d, struct strbuf *sb,
			      const struct syscall_call *call,
			      const struct arg_layout *layout, unsigned first)
{
	forget_saved(call);
	for (unsigned j = first; j < call->sig->nargs; j++) {
		enum arg_kind kind = call->sig->kinds[j];
		arg_printer hook = layout[j].entry_hook;
		if (!hook && arg_kinds[kind].when == ARG_AT_EXIT)
			hook = kind_entry_hooks[kind];
		if (!hook)
			continue;
		struct arg_ctx ctx = {
			.d = d, .sb = sb, .call = call, .index = j,
			.value = call_arg(call, j),
		};
		hook(&ctx);
	}
}

unsigned decode_entry(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call)
{
	char name_buf[32];
	sb_puts(sb, syscall_display_name(call, name_buf));
	sb_putc(sb, '(');
	struct syscall_call sub;
	uint64_t sub_args[SYSCALL_MAX_ARGS];
	bool unreadable;
	call = printed_call(call, &sub, sub_args, &unreadable);
	if (unreadable) {
		/* the arguments cannot be read: their address alone */
		sb_printf(sb, "%#llx", (unsigned long long)call_word(call, call->args[1]));
		return call->sig->nargs;
	}
	if (call->sig && decode_is_raw(d, call)) {
		/* -e raw=: every register of the call, in hex */
		for (unsigned i = 0; i < call->sig->nargs; i++)
			sb_printf(sb, i ? ", %#llx" : "%#llx",
				  (unsigned long long)call_word(call, call->args[i]));
		return call->sig->nargs;
	}
	if (!call->sig) {
		/* Unknown number: all six registers, raw. */
		for (unsigned i = 0; i < SYSCALL_MAX_ARGS; i++)
			sb_printf(sb, i ? ", %#llx" : "%#llx",
				  (unsigned long long)call_word(call, call->args[i]));
		return SYSCALL_MAX_ARGS;
	}
	struct arg_layout layout[SYSCALL_MAX_ARGS];
	call_layout(call, layout);
	unsigned i;
	for (i = 0; i < call->sig->nargs; i++) {
		if (prints_at_exit(call, layout, i))
			break;
		if (layout[i].omit)
			continue;
		print_arg(d, sb, call, i, false, 0, false, layout[i].print);
		if (shown_after(call, layout, i))
			sb_puts(sb, ", ");
	}
	save_entry_values(d, sb, call, layout, i);
	return i;
}

void decode_save_entry_values(struct decoder *d, struct strbuf *scratch,
			      const struct syscall_call *call)
{
	if (!call->sig)
		return;
	struct arg_layout layout[SYSCALL_MAX_ARGS];
	call_layout(call, layout);
	unsigned first = 0;
	while (first < call->sig->nargs && !prints_at_exit(call, layout, first))
		first++;
	save_entry_values(d, scratch, call, layout, first);
}

void decode_exit_args(struct decoder *d, struct strbuf *sb,
		      const struct syscall_call *call, unsigned first,
		      int64_t rval, bool is_error)
{
	if (!call->sig)
		return;
	struct syscall_call sub;
	uint64_t sub_args[SYSCALL_MAX_ARGS];
	bool unreadable;
	call = printed_call(call, &sub, sub_args, &unreadable);
	if (unreadable)
		return;
	struct arg_layout layout[SYSCALL_MAX_ARGS];
	call_layout(call, layout);
	for (unsigned i = first; i < call->sig->nargs; i++) {
		if (layout[i].omit)
			continue;
		print_arg(d, sb, call, i, true, rval, is_error, layout[i].print);
		if (shown_after(call, layout, i))
			sb_puts(sb, ", ");
	}
}

bool decode_is_raw(const struct decoder *d, const struct syscall_call *call)
{
	const struct syscall_sig *sig = syscall_shown_sig(call);
	return d->config->raw_set && sig &&
	       config_set_has(d->config->raw_set, call->arch,
			      (unsigned)(sig - syscall_sigs));
}

void decode_return(struct decoder *d, struct strbuf *sb,
		   const struct syscall_call *call, int64_t rval, bool is_error)
{
	if (is_error) {
		long err = (long)-rval;
		const char *name = errno_name(err);
		const char *message = errno_message(err);
		/* The ERESTART* values never reach the program: strace shows
		 * them with "?" rather than -1. */
		sb_puts(sb, err >= 512 ? "? " : "-1 ");
		if (name)
			sb_puts(sb, name);
		else
			sb_printf(sb, "errno %ld", err);
		if (message)
			sb_printf(sb, " (%s)", message);
		return;
	}
	if (decode_is_raw(d, call)) {
		sb_put_hex(sb, (unsigned long long)call_word(call, (uint64_t)rval));
		return;
	}
	/* A kind that says what the value means prints it (fcntl F_GETFL). */
	bool deref = decode_call_derefs(d->config, call);  /* -e verbose= */
	for (unsigned i = 0; call->sig && i < call->sig->nargs; i++) {
		unsigned kind = call->sig->kinds[i];
		ret_printer_fn fn = kind_ret_printers[kind];
		if (!deref)
			fn = ret_printer_shallow(kind, fn);
		if (fn && fn(sb, d->config->xlat_style, call, i, rval))
			return;
	}
	/* A number no table names is printed raw, as strace does: in hex. */
	enum ret_kind ret = call->sig ? call->sig->ret : RET_HEX;
	switch (ret) {
	case RET_HEX:
		sb_put_hex(sb, (unsigned long long)call_word(call, (uint64_t)rval));
		return;
	case RET_OCT:
		sb_printf(sb, "%#03llo", (unsigned long long)call_word(call, (uint64_t)rval));
		return;
	case RET_UINT:
		sb_put_udec(sb, (unsigned long long)call_word(call, (uint64_t)rval));
		return;
	case RET_NONE:
	case RET_INT:
	case RET_FD:
		sb_put_dec(sb, (long long)signed_word(call, (uint64_t)rval));
		return;
	}
}

void decode_arg(struct decoder *d, struct strbuf *sb,
		const struct syscall_call *call, unsigned i, bool exiting,
		int64_t rval, bool is_error)
{
	if (call->sig && i < call->sig->nargs) {
		struct arg_layout layout[SYSCALL_MAX_ARGS];
		call_layout(call, layout);
		print_arg(d, sb, call, i, exiting, rval, is_error, layout[i].print);
	}
	else if (i < SYSCALL_MAX_ARGS)
		sb_printf(sb, "%#llx", (unsigned long long)call_word(call, call->args[i]));
}
