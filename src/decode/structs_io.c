/* I/O structures: iovec arrays (readv/writev and msghdr), pollfd arrays,
 * epoll_event, fd_set.
 *
 * Layouts: iovec {void *base; size_t len;} (8 or 16 bytes); pollfd {int
 * fd; short events, revents;} (8); epoll_event {u32 events; u64 data;}
 * packed to 12 bytes on x86 (both widths), 16 elsewhere; fd_set an array
 * of longs, bit N for descriptor N. */
#include "structs.h"

#include <string.h>

#include "ptrc/escape.h"
#include "ptrc/mem.h"

/* ---- iovec ---- */

struct iov_state {
	uint64_t left;     /* data bytes still to show */
	bool addresses;    /* only iov_base addresses (a failed call) */
};

static bool print_iovec(const struct arg_ctx *ctx, const void *elem, void *user)
{
	struct iov_state *st = user;
	unsigned w = ctx_word_size(ctx);
	uint64_t base = field_u(elem, 0, w), len = field_u(elem, w, w);
	sb_puts(ctx->sb, "{iov_base=");
	if (st->addresses) {
		ctx_print_ptr(ctx, base);
	} else {
		uint64_t show = len < st->left ? len : st->left;
		ctx_print_data(ctx, base, show);
		st->left -= show;
	}
	sb_printf(ctx->sb, ", iov_len=%llu}", (unsigned long long)len);
	return true;
}

void ctx_print_iovec_data(const struct arg_ctx *ctx, uint64_t iov,
			  uint64_t count, uint64_t data_limit)
{
	struct iov_state st = { data_limit, false };
	ctx_print_array(ctx, iov, count, 2 * (size_t)ctx_word_size(ctx),
			print_iovec, &st);
}

void ctx_print_iovec_addresses(const struct arg_ctx *ctx, uint64_t iov,
			       uint64_t count)
{
	struct iov_state st = { 0, true };
	ctx_print_array(ctx, iov, count, 2 * (size_t)ctx_word_size(ctx),
			print_iovec, &st);
}

static uint64_t iov_count(const struct arg_ctx *ctx)
{
	uint8_t aux = ctx->call->sig->aux[ctx->index];
	return aux < SYSCALL_MAX_ARGS ? ctx_arg(ctx, aux) : 0;
}

void print_iovec_in(const struct arg_ctx *ctx)
{
	ctx_print_iovec_data(ctx, ctx->value, iov_count(ctx), UINT64_MAX);
}

/* At exit the data read is the return value's worth; a failed call
 * shows the buffers' addresses, as strace does. */
void print_iovec_out(const struct arg_ctx *ctx)
{
	struct iov_state st = { 0, ctx->is_error };
	if (!ctx->is_error)
		st.left = ctx->rval < 0 ? 0 : (uint64_t)ctx->rval;
	ctx_print_array(ctx, ctx->value, iov_count(ctx),
			2 * (size_t)ctx_word_size(ctx), print_iovec, &st);
}

/* ---- pollfd ---- */

static bool print_pollfd_elem(const struct arg_ctx *ctx, const void *elem,
			      void *user)
{
	(void)user;
	sb_puts(ctx->sb, "{fd=");
	decode_fd(ctx->sb, ctx->call->tid, (int)field_s(elem, 0, 4),
		  ctx->d->config->decode_fds);  /* -y, as strace */
	sb_puts(ctx->sb, ", events=");
	ctx_print_flags(ctx, &xlat_poll_events, field_u(elem, 4, 2));
	sb_putc(ctx->sb, '}');
	return true;
}

void print_pollfd(const struct arg_ctx *ctx)
{
	ctx_print_array(ctx, ctx->value, iov_count(ctx), 8, print_pollfd_elem,
			NULL);
}

/* ---- epoll_event ---- */

static size_t epoll_event_size(const struct arg_ctx *ctx)
{
	return ctx->call->arch == PTRC_ARCH_AARCH64 ? 16 : 12;
}

static bool print_epoll_event_elem(const struct arg_ctx *ctx, const void *elem,
				   void *user)
{
	(void)user;
	size_t data_off = epoll_event_size(ctx) == 16 ? 8 : 4;
	uint64_t data = field_u(elem, data_off, 8);
	sb_puts(ctx->sb, "{events=");
	ctx_print_flags(ctx, &xlat_epoll_events, field_u(elem, 0, 4));
	sb_printf(ctx->sb, ", data={u32=%u, u64=%llu}}", (uint32_t)data,
		  (unsigned long long)data);
	return true;
}

void print_epoll_event_in(const struct arg_ctx *ctx)
{
	unsigned char b[16];
	if (ctx_fetch(ctx, ctx->value, b, epoll_event_size(ctx)))
		print_epoll_event_elem(ctx, b, NULL);
}

/* epoll_wait: the return value says how many events were filled. */
void print_epoll_events_out(const struct arg_ctx *ctx)
{
	if (!ctx_exit_ok(ctx))
		return;
	uint64_t n = ctx->rval < 0 ? 0 : (uint64_t)ctx->rval;
	ctx_print_array(ctx, ctx->value, n, epoll_event_size(ctx),
			print_epoll_event_elem, NULL);
}

/* ---- fd_set ---- */

/* Descriptors beyond this are not read: 8 KiB of bitmap at most. */
#define FDSET_MAX_FDS 65536

void print_fdset(const struct arg_ctx *ctx)
{
	int64_t nfds = (int32_t)ctx_arg(ctx, 0);
	if (!ctx->value) {
		sb_puts(ctx->sb, "NULL");
		return;
	}
	if (nfds < 0) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	if (nfds > FDSET_MAX_FDS)
		nfds = FDSET_MAX_FDS;
	unsigned wbits = 8 * ctx_word_size(ctx);
	size_t bytes = (size_t)((nfds + wbits - 1) / wbits) * (wbits / 8);
	unsigned char *bits = (unsigned char *)ctx_scratch(ctx, bytes + 1);
	if (bytes && !ctx_read(ctx, ctx->value, bits, bytes)) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	uint64_t limit = ctx_array_limit(ctx), shown = 0;
	sb_putc(ctx->sb, '[');
	for (int64_t fd = 0; fd < nfds; fd++) {
		if (!((bits[fd / 8] >> (fd % 8)) & 1))
			continue;
		if (shown >= limit) {
			sb_puts(ctx->sb, " ...");
			break;
		}
		if (shown)
			sb_putc(ctx->sb, ' ');
		decode_fd(ctx->sb, ctx->call->tid, (int)fd,
			  ctx->d->config->decode_fds);  /* -y, as strace */
		shown++;
	}
	sb_putc(ctx->sb, ']');
}

/* ---- what poll and select return ----
 *
 * strace follows the count with the descriptors that are ready, read back
 * from the tracee: "2 ([{fd=3, revents=POLLIN}])", "2 (in [3], out [4],
 * left {tv_sec=0, tv_usec=0})", "0 (Timeout)". Return printers see no
 * decoder, so the list is cut at strace's default -s. */
#define RET_LIST_MAX 32
/* Descriptors of a pollfd array looked at, at most. */
#define RET_POLLFDS_MAX 4096

static bool ret_read(const struct syscall_call *call, uint64_t addr,
		     void *buf, size_t len)
{
	return addr && mem_read(call->tid, addr, buf, len) == (ssize_t)len;
}

/* at its kind's width: poll's nfds is an unsigned int */
static uint64_t ret_arg(const struct syscall_call *call, unsigned i)
{
	return call_arg(call, i);
}

/* ", left {...}": the time a call with a timeout had left (structs.h). */
void ret_time_left(struct strbuf *sb, const struct syscall_call *call,
			  uint64_t addr, bool timespec, bool wide,
			  const char *prefix)
{
	unsigned w = wide ? 8 : arch_word_size(call->arch);
	unsigned char b[16];
	if (!ret_read(call, addr, b, 2 * (size_t)w))
		return;
	sb_puts(sb, prefix);
	if (timespec)
		print_timespec_value(sb, field_s(b, 0, w), field_u(b, w, w));
	else
		print_timeval_value(sb, field_s(b, 0, w), field_u(b, w, w));
}

static bool call_named(const struct syscall_call *call, const char *name)
{
	return call->sig && strcmp(call->sig->name, name) == 0;
}

bool ret_pollfd(struct strbuf *sb, enum xlat_style style,
		const struct syscall_call *call, unsigned index,
		int64_t rval)
{
	if (rval == 0) {
		sb_puts(sb, "0 (Timeout)");
		return true;
	}
	uint64_t n = ret_arg(call, index + 1);
	if (n > RET_POLLFDS_MAX)
		n = RET_POLLFDS_MAX;
	uint64_t addr = ret_arg(call, index);
	sb_printf(sb, "%lld (", (long long)rval);
	size_t shown = 0;
	unsigned char chunk[8 * 64];
	for (uint64_t i = 0; i < n; i += 64) {
		size_t k = n - i < 64 ? (size_t)(n - i) : 64;
		if (!ret_read(call, addr + i * 8, chunk, k * 8))
			break;
		for (size_t j = 0; j < k; j++) {
			unsigned revents = (unsigned)field_u(chunk, j * 8 + 6, 2);
			if (!revents)
				continue;
			if (shown == RET_LIST_MAX) {
				sb_puts(sb, ", ...");
				i = n;
				break;
			}
			sb_printf(sb, shown ? ", {fd=%d, revents=" : "[{fd=%d, revents=",
				  (int)field_s(chunk, j * 8, 4));
			print_flags(sb, style, &xlat_poll_events, revents);
			sb_putc(sb, '}');
			shown++;
		}
	}
	sb_puts(sb, shown ? "]" : "[]");
	bool ppoll = call_named(call, "ppoll"), ppoll64 = call_named(call, "ppoll_time64");
	if ((ppoll || ppoll64) && ret_arg(call, index + 2))
		ret_time_left(sb, call, ret_arg(call, index + 2), true, ppoll64,
			      ", left ");
	sb_putc(sb, ')');
	return true;
}

/* select, _newselect, pselect6(_time64): the sets are arguments 1-3, the
 * timeout argument 4; called for the first fd_set argument. The time left
 * is read only when DEREF (strace prints its address under -e verbose=). */
static bool fdset_ret(struct strbuf *sb, const struct syscall_call *call,
		      unsigned index, int64_t rval, bool deref)
{
	if (index != 1 || call->sig->nargs < 5)
		return false;
	if (rval == 0) {
		sb_puts(sb, "0 (Timeout)");
		return true;
	}
	static const char *const set_names[] = { "in", "out", "except" };
	int64_t nfds = (int32_t)ret_arg(call, 0);
	if (nfds > FDSET_MAX_FDS)
		nfds = FDSET_MAX_FDS;
	unsigned wbits = 8 * arch_word_size(call->arch);
	size_t bytes = nfds > 0 ? (size_t)((nfds + wbits - 1) / wbits) * (wbits / 8) : 0;
	unsigned char bits[FDSET_MAX_FDS / 8];
	sb_printf(sb, "%lld (", (long long)rval);
	bool any = false;
	for (unsigned s = 0; s < 3; s++) {
		if (!bytes || !ret_read(call, ret_arg(call, 1 + s), bits, bytes))
			continue;
		size_t shown = 0;
		for (int64_t fd = 0; fd < nfds; fd++) {
			if (!((bits[fd / 8] >> (fd % 8)) & 1))
				continue;
			if (!shown)
				sb_printf(sb, any ? ", %s [" : "%s [", set_names[s]);
			if (shown == RET_LIST_MAX) {
				sb_puts(sb, " ...");
				break;
			}
			sb_printf(sb, shown ? " %lld" : "%lld", (long long)fd);
			shown++;
		}
		if (shown) {
			sb_putc(sb, ']');
			any = true;
		}
	}
	uint64_t timeout = ret_arg(call, 4);
	if (timeout && !deref)
		sb_printf(sb, "%sleft %#llx", any ? ", " : "",
			  (unsigned long long)call_word(call, timeout));
	else if (timeout) {
		bool ts = call_named(call, "pselect6") || call_named(call, "pselect6_time64");
		ret_time_left(sb, call, timeout, ts,
			      call_named(call, "pselect6_time64"),
			      any ? ", left " : "left ");
	}
	sb_putc(sb, ')');
	return true;
}

bool ret_fdset(struct strbuf *sb, enum xlat_style style,
	       const struct syscall_call *call, unsigned index,
	       int64_t rval)
{
	(void)style;  /* nothing named to print */
	return fdset_ret(sb, call, index, rval, true);
}

bool ret_fdset_shallow(struct strbuf *sb, enum xlat_style style,
		       const struct syscall_call *call, unsigned index,
		       int64_t rval)
{
	(void)style;
	return fdset_ret(sb, call, index, rval, false);
}

/* ---- getrandom ---- */

/* getrandom's buffer: random bytes, which strace always shows in hex. */
void print_random_out(const struct arg_ctx *ctx)
{
	if (ctx->is_error || ctx->rval < 0) {
		ctx_print_ptr(ctx, ctx->value);
		return;
	}
	uint64_t addr = call_word(ctx->call, ctx->value);
	uint64_t len = (uint64_t)ctx->rval;
	size_t limit = ctx->d->config->string_limit;
	size_t want = len < limit ? (size_t)len : limit;
	char *buf = ctx_scratch(ctx, want + 1);
	ssize_t n = addr ? mem_read(ctx->call->tid, addr, buf, want) : -1;
	if (n < 0 || (size_t)n < want) {
		ctx_print_ptr(ctx, addr);
		return;
	}
	escape_quoted(ctx->sb, buf, want, ESCAPE_HEX_ALL, len > want);
}
