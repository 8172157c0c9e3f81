/* sendmmsg/recvmmsg: the struct mmsghdr vector and recvmmsg's timeout, as
 * strace 6.1 prints them.
 *
 *   sendmmsg(3, [{msg_hdr={...}, msg_len=5}, {msg_hdr={...}}], 2, 0) = 1
 *   recvmmsg(3, [{msg_hdr={...}, msg_len=5}], 2, 0, NULL) = 1
 *
 * sendmmsg's vector prints at exit, even after a failure; the first
 * return-value messages show the msg_len the kernel stored. recvmmsg's
 * vector prints at exit, the return value's count of messages (only the
 * address after a failure), each message's data bounded by its msg_len,
 * msg_namelen as "before => after" (saved at entry); its timeout prints as
 * it was at entry, and the return value says "(Timeout)" or the time
 * "left". Neither looks at more than IOV_MAX (1024) messages: "...". */
#include "structs.h"

#include "msghdr_layout.h"

#define MMSG_MAX 1024

struct mmsg_state {
	uint64_t msg_len_shown;     /* messages that show msg_len */
	bool use_msg_len;           /* msg_len bounds the data shown */
	const uint32_t *namelens;   /* msg_namelen at entry, or NULL */
	uint64_t nnamelens;
	uint64_t count;             /* messages that may print */
	uint64_t index;
};

static bool print_mmsghdr_elem(const struct arg_ctx *ctx, const void *elem,
			       void *user)
{
	struct mmsg_state *st = user;
	if (st->index == st->count) {
		sb_puts(ctx->sb, "...");
		return false;
	}
	unsigned w = ctx_word_size(ctx);
	uint32_t msg_len = (uint32_t)field_u(elem, mmsghdr_len_offset(w), 4);
	uint64_t namelen_in = UINT64_MAX;
	if (st->namelens && st->index < st->nnamelens &&
	    st->index < DECODE_SAVED_LIST)
		namelen_in = st->namelens[st->index];
	sb_puts(ctx->sb, "{msg_hdr=");
	ctx_print_msghdr_buf(ctx, elem, st->use_msg_len ? msg_len : UINT64_MAX,
			     namelen_in);
	if (st->msg_len_shown) {
		sb_printf(ctx->sb, ", msg_len=%u", msg_len);
		st->msg_len_shown--;
	}
	sb_putc(ctx->sb, '}');
	st->index++;
	return true;
}

/* N messages at ADDR; one more is read when the state cuts the vector, to
 * print "..." in its place. */
static void print_mmsg_vector(const struct arg_ctx *ctx, uint64_t addr,
			      uint64_t n, struct mmsg_state *st)
{
	if (n > st->count + 1)
		n = st->count + 1;
	if (!ctx_deref(ctx)) {  /* -e verbose=: even an empty vector */
		ctx_print_ptr(ctx, addr);
		return;
	}
	ctx_print_array(ctx, addr, n, mmsghdr_layout_size(ctx_word_size(ctx)),
			print_mmsghdr_elem, st);
}

static uint64_t mmsg_vlen(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	return aux < SYSCALL_MAX_ARGS ? (uint32_t)ctx_arg(ctx, aux) : 0;
}

/* sendmmsg: printed at exit, failed or not. */
void print_mmsghdr_in(const struct arg_ctx *ctx)
{
	struct mmsg_state st = {
		.msg_len_shown = ctx->is_error || ctx->rval < 0 ? 0 : (uint64_t)ctx->rval,
		.count = MMSG_MAX,
	};
	print_mmsg_vector(ctx, ctx->value, mmsg_vlen(ctx), &st);
}

/* Entry hook of recvmmsg's vector: how many messages could be read (at
 * most MMSG_MAX) and the msg_namelen of the first DECODE_SAVED_LIST. */
void entry_save_mmsghdr(const struct arg_ctx *ctx)
{
	uint32_t namelens[DECODE_SAVED_LIST];
	unsigned w = ctx_word_size(ctx);
	size_t size = mmsghdr_layout_size(w);
	uint64_t vlen = mmsg_vlen(ctx), i;
	unsigned char b[MMSGHDR_MAX_SIZE];
	for (i = 0; i < vlen && i < MMSG_MAX && ctx->value; i++) {
		if (!ctx_read(ctx, ctx->value + i * size, b, size))
			break;
		if (i < DECODE_SAVED_LIST)
			namelens[i] = (uint32_t)field_u(b, w, 4);
	}
	ctx_save_list(ctx, i, namelens, i);
}

/* recvmmsg: the messages received; the address after a failure. */
void print_mmsghdr_out(const struct arg_ctx *ctx)
{
	if (!ctx->value) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	if (ctx->is_error || ctx->rval < 0) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	uint64_t n = (uint64_t)ctx->rval;
	struct mmsg_state st = { .msg_len_shown = n, .use_msg_len = true,
				 .count = MMSG_MAX };
	st.namelens = ctx_saved_list(ctx, &st.nnamelens);
	if (st.namelens)
		st.count = st.nnamelens;
	print_mmsg_vector(ctx, ctx->value, n, &st);
}

/* ---- recvmmsg's timeout: printed at exit as it was at entry ---- */

static void save_timeout(const struct arg_ctx *ctx, bool wide)
{
	struct strbuf text;
	sb_init(&text);
	struct arg_ctx at_entry = *ctx;
	at_entry.sb = &text;
	if (wide)
		print_timespec64_in(&at_entry);
	else
		print_timespec_in(&at_entry);
	if (text.len)
		ctx_save_text(ctx, text.data, text.len);
	sb_free(&text);
}

void entry_save_mmsg_timeout(const struct arg_ctx *ctx) { save_timeout(ctx, false); }
void entry_save_mmsg_timeout64(const struct arg_ctx *ctx) { save_timeout(ctx, true); }

void print_mmsg_timeout(const struct arg_ctx *ctx)
{
	const char *text = ctx_saved_text(ctx);
	if (text)
		sb_puts(ctx->sb, text);
	else
		ctx_print_ptr(ctx, ctx->value);
}

/* "0 (Timeout)", or "2 (left {tv_sec=0, tv_nsec=999000})". */
static bool ret_timeout(struct strbuf *sb, const struct syscall_call *call,
			unsigned index, int64_t rval, bool wide)
{
	if (rval == 0) {
		sb_puts(sb, "0 (Timeout)");
		return true;
	}
	uint64_t addr = call_word(call, call->args[index]);
	if (!addr)
		return false;
	sb_printf(sb, "%lld (", (long long)rval);
	ret_time_left(sb, call, addr, true, wide, "left ");
	sb_putc(sb, ')');
	return true;
}

bool ret_mmsg_timeout(struct strbuf *sb, enum xlat_style style,
		      const struct syscall_call *call, unsigned index,
		      int64_t rval)
{
	(void)style;
	return ret_timeout(sb, call, index, rval, false);
}

bool ret_mmsg_timeout64(struct strbuf *sb, enum xlat_style style,
			const struct syscall_call *call, unsigned index,
			int64_t rval)
{
	(void)style;
	return ret_timeout(sb, call, index, rval, true);
}
