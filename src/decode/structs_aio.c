/* Linux AIO: io_setup's context, io_submit's iocb pointers, io_cancel's
 * iocb and result, io_getevents/io_pgetevents' io_event array, as strace
 * 6.1 prints them:
 *   io_setup(2, [0x7f1c3a2b1000]) = 0
 *   io_submit(0x7f1c3a2b1000, 1, [{aio_data=0x1, aio_lio_opcode=IOCB_CMD_PWRITE,
 *     aio_fildes=3, aio_buf="abc", aio_nbytes=3, aio_offset=0}]) = 1
 *   io_getevents(0x7f..., 1, 2, [{data=0x1, obj=0x..., res=3, res2=0}], NULL) = 1
 *
 * struct iocb is the same 64 bytes on every arch (little-endian order):
 * {u64 aio_data; u32 aio_key; int aio_rw_flags; u16 aio_lio_opcode;
 *  s16 aio_reqprio; u32 aio_fildes; u64 aio_buf; u64 aio_nbytes;
 *  s64 aio_offset; u64 reserved2; u32 aio_flags; u32 aio_resfd;}
 * struct io_event: {u64 data; u64 obj; s64 res; s64 res2;} (32 bytes). */
#include "structs.h"

#define IOCB_SIZE 64
#define IO_EVENT_SIZE 32

enum { IOCB_PREAD = 0, IOCB_PWRITE = 1, IOCB_POLL = 5, IOCB_PREADV = 7,
       IOCB_PWRITEV = 8 };
#define IOCB_FLAG_RESFD_BIT 1u
#define IOCB_FLAG_IOPRIO_BIT 2u

/* "IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)" */
static void print_ioprio(const struct arg_ctx *ctx, uint32_t prio)
{
	sb_puts(ctx->sb, "IOPRIO_PRIO_VALUE(");
	ctx_print_enum(ctx, &xlat_ioprio_class, prio >> 13, NULL);
	sb_printf(ctx->sb, ", %d)", (int)(prio & 0x1fff));
}

/* aio_data to aio_fildes; returns the opcode. */
static unsigned print_iocb_header(const struct arg_ctx *ctx,
				  const unsigned char *cb)
{
	struct strbuf *sb = ctx->sb;
	uint64_t data = field_u(cb, 0, 8);
	uint32_t key = (uint32_t)field_u(cb, 8, 4);
	uint32_t rw_flags = (uint32_t)field_u(cb, 12, 4);
	unsigned opcode = (unsigned)field_u(cb, 16, 2);
	int reqprio = (int)field_s(cb, 18, 2);
	uint32_t flags = (uint32_t)field_u(cb, 56, 4);
	sb_printf(sb, data ? "aio_data=%#llx" : "aio_data=%llu",
		  (unsigned long long)data);
	if (key)
		sb_printf(sb, ", aio_key=%u", key);
	if (rw_flags) {
		sb_puts(sb, ", aio_rw_flags=");
		ctx_print_flags(ctx, &xlat_rwf_flags, rw_flags);
	}
	sb_puts(sb, ", aio_lio_opcode=");
	if (xlat_name(&xlat_aio_cmds, opcode))
		ctx_print_enum(ctx, &xlat_aio_cmds, opcode, NULL);
	else
		sb_printf(sb, "%u /* IOCB_CMD_??? */", opcode);
	if (flags & IOCB_FLAG_IOPRIO_BIT) {
		sb_puts(sb, ", aio_reqprio=");
		print_ioprio(ctx, (uint32_t)reqprio);
	} else if (reqprio) {
		sb_printf(sb, ", aio_reqprio=%d", reqprio);
	}
	sb_puts(sb, ", aio_fildes=");
	decode_fd(sb, ctx->call->tid, (int)field_u(cb, 20, 4),
		  ctx->d->config->decode_fds);
	return opcode;
}

static void print_iocb_flags(const struct arg_ctx *ctx, const unsigned char *cb)
{
	uint32_t flags = (uint32_t)field_u(cb, 56, 4);
	uint32_t resfd = (uint32_t)field_u(cb, 60, 4);
	if (flags) {
		sb_puts(ctx->sb, ", aio_flags=");
		ctx_print_flags(ctx, &xlat_aio_iocb_flags, flags);
	}
	if (flags & IOCB_FLAG_RESFD_BIT) {
		sb_puts(ctx->sb, ", aio_resfd=");
		decode_fd(ctx->sb, ctx->call->tid, (int)resfd,
			  ctx->d->config->decode_fds);
	} else if (resfd) {
		sb_printf(ctx->sb, ", aio_resfd=%#x", resfd);
	}
}

/* The buffer fields: a written buffer's data, iovecs, poll events. */
static void print_iocb_body(const struct arg_ctx *ctx, const unsigned char *cb,
			    unsigned opcode)
{
	struct strbuf *sb = ctx->sb;
	uint64_t buf = field_u(cb, 24, 8), nbytes = field_u(cb, 32, 8);
	bool valid = (int64_t)nbytes >= 0;
	if (opcode == IOCB_PREAD || opcode == IOCB_PWRITE) {
		sb_puts(sb, ", aio_buf=");
		if (opcode == IOCB_PWRITE && valid)
			ctx_print_data(ctx, buf, nbytes);
		else
			sb_printf(sb, buf ? "%#llx" : "%llu", (unsigned long long)buf);
		sb_printf(sb, ", aio_nbytes=%llu", (unsigned long long)nbytes);
	} else if (opcode == IOCB_PREADV || opcode == IOCB_PWRITEV) {
		sb_puts(sb, ", aio_buf=");
		if (valid && opcode == IOCB_PWRITEV)
			ctx_print_iovec_data(ctx, buf, nbytes, UINT64_MAX);
		else if (valid)
			ctx_print_iovec_addresses(ctx, buf, nbytes);
		else
			sb_printf(sb, "%#llx, aio_nbytes=%llu", (unsigned long long)buf,
				  (unsigned long long)nbytes);
	} else if (opcode == IOCB_POLL) {
		sb_puts(sb, ", aio_buf=");
		ctx_print_flags(ctx, &xlat_poll_events, buf);
		print_iocb_flags(ctx, cb);
		return;
	} else {
		return;
	}
	sb_printf(sb, ", aio_offset=%lld", (long long)field_s(cb, 40, 8));
	print_iocb_flags(ctx, cb);
}

static bool print_iocbp_elem(const struct arg_ctx *ctx, const void *elem,
			     void *user)
{
	(void)user;
	unsigned char cb[IOCB_SIZE];
	uint64_t addr = field_u(elem, 0, ctx_word_size(ctx));
	if (ctx_fetch(ctx, addr, cb, sizeof cb)) {
		sb_putc(ctx->sb, '{');
		print_iocb_body(ctx, cb, print_iocb_header(ctx, cb));
		sb_putc(ctx->sb, '}');
	}
	return true;
}

/* io_submit's iocbpp: NR pointers (NR a long; negative: the address). */
void print_iocbpp(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	int64_t nr = aux < SYSCALL_MAX_ARGS ?
		     (ctx_word_size(ctx) == 4 ? (int32_t)ctx_arg(ctx, aux)
					      : (int64_t)ctx_arg(ctx, aux)) : 0;
	if (nr < 0) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	ctx_print_array(ctx, ctx->value, (uint64_t)nr, ctx_word_size(ctx),
			print_iocbp_elem, NULL);
}

/* io_cancel's iocb: its header alone. */
void print_iocb_header_in(const struct arg_ctx *ctx)
{
	unsigned char cb[IOCB_SIZE];
	if (!ctx_fetch(ctx, ctx->value, cb, sizeof cb))
		return;
	sb_putc(ctx->sb, '{');
	print_iocb_header(ctx, cb);
	sb_putc(ctx->sb, '}');
}

static bool print_io_event_elem(const struct arg_ctx *ctx, const void *elem,
				void *user)
{
	(void)user;
	uint64_t data = field_u(elem, 0, 8), obj = field_u(elem, 8, 8);
	sb_printf(ctx->sb, data ? "{data=%#llx" : "{data=%llu",
		  (unsigned long long)data);
	sb_printf(ctx->sb, obj ? ", obj=%#llx" : ", obj=%llu",
		  (unsigned long long)obj);
	sb_printf(ctx->sb, ", res=%lld, res2=%lld}",
		  (long long)field_s(elem, 16, 8), (long long)field_s(elem, 24, 8));
	return true;
}

/* io_cancel's result. */
void print_io_event_out(const struct arg_ctx *ctx)
{
	unsigned char ev[IO_EVENT_SIZE];
	if (ctx_exit_ok(ctx) && ctx_fetch(ctx, ctx->value, ev, sizeof ev))
		print_io_event_elem(ctx, ev, NULL);
}

/* io_getevents' events: the return value's count (a failed call: the
 * address, or NULL). */
void print_io_events_out(const struct arg_ctx *ctx)
{
	if (ctx->value && (ctx->is_error || ctx->rval < 0)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	ctx_print_array(ctx, ctx->value, ctx->rval < 0 ? 0 : (uint64_t)ctx->rval,
			IO_EVENT_SIZE, print_io_event_elem, NULL);
}

/* io_setup's context: "[0x7f...]" (a word the kernel stores). */
void print_aio_context_out(const struct arg_ctx *ctx)
{
	unsigned char w[8];
	if (!ctx_exit_ok(ctx) || !ctx_fetch(ctx, ctx->value, w, ctx_word_size(ctx)))
		return;
	sb_putc(ctx->sb, '[');
	ctx_print_ptr(ctx, field_u(w, 0, ctx_word_size(ctx)));
	sb_putc(ctx->sb, ']');
}
