/* The bytes a read- or write-like syscall moved (src/decode/io_data.c),
 * for --transcript: read, write, recv, send, recvfrom, sendto, readv,
 * writev, recvmsg, sendmsg (the signatures whose first argument is a
 * descriptor and second a buffer, an iovec array or a msghdr). */
#ifndef PTRC_IO_DATA_H
#define PTRC_IO_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "ptrc/decode.h"

enum io_dir { IO_NONE, IO_READ, IO_WRITE };

/* After CALL returned RVAL (a success: the bytes moved): its descriptor
 * into *FD and up to SIZE of the bytes into BUF, *LEN of them (fewer when
 * the tracee's memory cannot be read). IO_NONE for any other call, a
 * failure or nothing moved. */
enum io_dir decode_io_data(const struct syscall_call *call, int64_t rval,
			   bool is_error, int *fd, unsigned char *buf,
			   size_t size, size_t *len);

#endif
