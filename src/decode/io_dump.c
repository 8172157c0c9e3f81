/* -e read= / -e write=: after a call's line, the data it moved, dumped as
 * strace 6.1 dumps it (decode_hexdump_whole's lines).
 *
 * Which calls dump is the signature's data: a call whose first argument
 * is a descriptor and whose second is a buffer, an iovec array, a msghdr
 * or an mmsghdr array (io_dump_kinds). That is strace's list: read,
 * write, pread64, pwrite64, readv, writev, preadv(2), pwritev(2),
 * vmsplice (written), recv, send, recvfrom, sendto, recvmsg, sendmsg,
 * recvmmsg, sendmmsg, mq_timedreceive, mq_timedsend.
 *
 * Written data is dumped whatever the outcome, in full (the lengths the
 * call was given); read data only after a success, up to the return
 * value. An iovec array must be readable whole or nothing is dumped; each
 * buffer gets a " * N bytes in buffer K" line, and the first empty one
 * ends the dump. */
#include "ptrc/decode.h"

#include <stdlib.h>

#include "ptrc/mem.h"
#include "msghdr_layout.h"
#include "printers.h"
#include "structs.h"

/* iovec arrays longer than this are not read (the kernel takes 1024). */
#define DUMP_IOV_MAX 65536
/* mmsghdr vectors looked at, at most (the kernel takes 1024). */
#define DUMP_MMSG_MAX 1024

struct dump_call {
	struct strbuf *sb;
	const struct syscall_call *call;
	unsigned w;          /* the tracee's word size */
	uint64_t data_size;  /* bytes to dump in all: UINT64_MAX when written */
	int64_t rval;
};

typedef void (*io_dump_fn)(const struct dump_call *dc);

static uint64_t dump_arg(const struct dump_call *dc, unsigned i)
{
	return i < SYSCALL_MAX_ARGS ? call_word(dc->call, dc->call->args[i]) : 0;
}

/* COUNT iovecs at ADDR (strace's dumpiov_upto): COUNT is an int. */
static void dump_iov_array(const struct dump_call *dc, int count, uint64_t addr,
			   uint64_t data_size)
{
	if (count <= 0 || count > DUMP_IOV_MAX)
		return;
	size_t size = (size_t)count * 2 * dc->w;
	unsigned char *iov = malloc(size);
	if (!iov)
		return;
	if (mem_read(dc->call->tid, addr, iov, size) == (ssize_t)size) {
		for (int i = 0; i < count; i++) {
			uint64_t base = field_u(iov, (size_t)i * 2 * dc->w, dc->w);
			uint64_t len = field_u(iov, ((size_t)i * 2 + 1) * dc->w, dc->w);
			if (len > data_size)
				len = data_size;
			if (!len)
				break;
			data_size -= len;
			sb_printf(dc->sb, " * %llu bytes in buffer %d\n",
				  (unsigned long long)len, i);
			decode_hexdump_whole(dc->sb, dc->call->tid, base, len);
		}
	}
	free(iov);
}

/* read, write, send, recv...: argument 2 is the buffer's length. */
static void dump_buf(const struct dump_call *dc)
{
	uint64_t len = dump_arg(dc, dc->call->sig->aux[1]);
	decode_hexdump_whole(dc->sb, dc->call->tid, dump_arg(dc, 1),
		       len < dc->data_size ? len : dc->data_size);
}

static void dump_iovec(const struct dump_call *dc)
{
	dump_iov_array(dc, (int)dump_arg(dc, dc->call->sig->aux[1]),
		       dump_arg(dc, 1), dc->data_size);
}

/* The iovecs of the msghdr in B (read from the tracee). */
static void dump_msghdr_buf(const struct dump_call *dc, const unsigned char *b,
			    uint64_t data_size)
{
	dump_iov_array(dc, (int)field_u(b, msghdr_iovlen_offset(dc->w), dc->w),
		       field_u(b, msghdr_iov_offset(dc->w), dc->w), data_size);
}

static void dump_msghdr(const struct dump_call *dc)
{
	unsigned char b[MSGHDR_MAX_SIZE];
	size_t size = msghdr_layout_size(dc->w);
	uint64_t addr = dump_arg(dc, 1);
	if (addr && mem_read(dc->call->tid, addr, b, size) == (ssize_t)size)
		dump_msghdr_buf(dc, b, dc->data_size);
}

/* recvmmsg/sendmmsg: the messages the return value counts (a failed
 * sendmmsg's -1 reads on until a message is unreadable, as strace does,
 * here up to DUMP_MMSG_MAX), each bounded by its msg_len. */
static void dump_mmsghdr(const struct dump_call *dc)
{
	unsigned char b[MMSGHDR_MAX_SIZE];
	size_t size = mmsghdr_layout_size(dc->w);
	uint64_t addr = dump_arg(dc, 1);
	uint32_t n = dc->rval < 0 ? UINT32_MAX : (uint32_t)dc->rval;
	for (uint32_t i = 0; i < n && i < DUMP_MMSG_MAX; i++, addr += size) {
		if (mem_read(dc->call->tid, addr, b, size) != (ssize_t)size)
			break;
		sb_printf(dc->sb, " = %llu buffers in vector %u\n",
			  (unsigned long long)field_u(b, msghdr_iovlen_offset(dc->w), dc->w), i);
		dump_msghdr_buf(dc, b, field_u(b, mmsghdr_len_offset(dc->w), 4));
	}
}

struct io_dump_kind {
	io_dump_fn dump;
	bool written;   /* -e write= (else -e read=) */
};

static const struct io_dump_kind io_dump_kinds[ARG_KIND_COUNT] = {
	[ARG_IBUF] = { dump_buf, true },
	[ARG_OBUF] = { dump_buf, false },
	[ARG_IOVEC_IN] = { dump_iovec, true },
	[ARG_IOVEC_OUT] = { dump_iovec, false },
	[ARG_MSGHDR_IN] = { dump_msghdr, true },
	[ARG_MSGHDR_OUT] = { dump_msghdr, false },
	[ARG_MMSGHDR_IN] = { dump_mmsghdr, true },
	[ARG_MMSGHDR_OUT] = { dump_mmsghdr, false },
};

void decode_io_dump(struct strbuf *sb, const struct ptrc_config *config,
		    const struct syscall_call *call, int64_t rval, bool is_error)
{
	if (!config->dump_reads && !config->dump_writes)
		return;
	struct syscall_call sub;
	uint64_t sub_args[SYSCALL_MAX_ARGS];
	const struct syscall_call *shown = decode_shown_call(call, &sub, sub_args);
	const struct syscall_sig *sig = shown->sig;
	if (!sig || sig->nargs < 2 || sig->kinds[0] != ARG_FD)
		return;
	const struct io_dump_kind *kind = &io_dump_kinds[sig->kinds[1]];
	int fd = (int)shown->args[0];
	if (!kind->dump || fd < 0)
		return;
	struct dump_call dc = { sb, shown, arch_word_size(shown->arch),
				UINT64_MAX, rval };
	if (kind->written) {
		if (config->dump_writes && fd_in_set(config->write_dump_fds, fd))
			kind->dump(&dc);
		return;
	}
	if (is_error || !config->dump_reads || !fd_in_set(config->read_dump_fds, fd))
		return;
	dc.data_size = rval < 0 ? 0 : (uint64_t)rval;
	kind->dump(&dc);
}
