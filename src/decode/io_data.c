/* See ptrc/io_data.h. Only what the kernel moved: up to the return
 * value, buffer after buffer of an iovec array. Bounded by the caller's
 * buffer and by IO_DATA_IOV_MAX iovecs. */
#include "ptrc/io_data.h"

#include <stdlib.h>

#include "ptrc/mem.h"
#include "msghdr_layout.h"
#include "printers.h"
#include "structs.h"

#define IO_DATA_IOV_MAX 1024  /* the kernel's UIO_MAXIOV */

/* COUNT iovecs at ADDR of TID: up to WANT bytes into BUF. */
static size_t copy_iov(pid_t tid, unsigned w, uint64_t count, uint64_t addr,
		       unsigned char *buf, size_t want)
{
	if (count == 0 || count > IO_DATA_IOV_MAX)
		return 0;
	size_t size = (size_t)count * 2 * w, done = 0;
	unsigned char *iov = malloc(size);
	if (!iov)
		return 0;
	if (mem_read(tid, addr, iov, size) == (ssize_t)size)
		for (size_t i = 0; i < count && done < want; i++) {
			uint64_t base = field_u(iov, i * 2 * w, w);
			uint64_t len = field_u(iov, (i * 2 + 1) * w, w);
			if (len > want - done)
				len = want - done;
			ssize_t got = len ? mem_read(tid, base, buf + done, len) : 0;
			if (got <= 0 && len)
				break;
			done += (size_t)got;
		}
	free(iov);
	return done;
}

enum io_dir decode_io_data(const struct syscall_call *call, int64_t rval,
			   bool is_error, int *fd, unsigned char *buf,
			   size_t size, size_t *len)
{
	struct syscall_call sub;  /* an i386 socketcall: its sub-call */
	uint64_t sub_args[SYSCALL_MAX_ARGS];
	call = decode_shown_call(call, &sub, sub_args);
	const struct syscall_sig *sig = call->sig;
	*len = 0;
	if (is_error || rval <= 0 || !sig || sig->nargs < 2 ||
	    sig->kinds[0] != ARG_FD)
		return IO_NONE;
	unsigned w = arch_word_size(call->arch);
	size_t want = (uint64_t)rval < size ? (size_t)rval : size;
	uint64_t addr = call_word(call, call->args[1]);
	enum io_dir dir;
	switch (sig->kinds[1]) {
	case ARG_IBUF: case ARG_IOVEC_IN: case ARG_MSGHDR_IN:
		dir = IO_WRITE;
		break;
	case ARG_OBUF: case ARG_IOVEC_OUT: case ARG_MSGHDR_OUT:
		dir = IO_READ;
		break;
	default:
		return IO_NONE;
	}
	*fd = (int)call->args[0];
	switch (sig->kinds[1]) {
	case ARG_IBUF: case ARG_OBUF: {
		ssize_t got = mem_read(call->tid, addr, buf, want);
		*len = got > 0 ? (size_t)got : 0;
		break;
	}
	case ARG_IOVEC_IN: case ARG_IOVEC_OUT:
		*len = copy_iov(call->tid, w, call_word(call,
				call->args[sig->aux[1]]), addr, buf, want);
		break;
	default: {  /* a msghdr: its iovecs */
		unsigned char b[MSGHDR_MAX_SIZE];
		size_t n = msghdr_layout_size(w);
		if (addr && mem_read(call->tid, addr, b, n) == (ssize_t)n)
			*len = copy_iov(call->tid, w,
					field_u(b, msghdr_iovlen_offset(w), w),
					field_u(b, msghdr_iov_offset(w), w),
					buf, want);
	}
	}
	return dir;
}
