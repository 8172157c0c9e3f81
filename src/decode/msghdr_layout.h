/* The tracee's struct msghdr and struct mmsghdr, by word size W (4 or 8):
 * msghdr {name, namelen, iov, iovlen, control, controllen, flags}, each
 * field one word (namelen and flags an int in a word's place): 28 bytes on
 * i386, 56 on 64-bit; mmsghdr {msghdr msg_hdr; unsigned msg_len;} padded
 * to the word: 32 and 64 bytes. */
#ifndef PTRC_DECODE_MSGHDR_LAYOUT_H
#define PTRC_DECODE_MSGHDR_LAYOUT_H

#include <stddef.h>

#define MSGHDR_MAX_SIZE 56
#define MMSGHDR_MAX_SIZE 64

static inline size_t msghdr_layout_size(unsigned w)
{
	return 7 * (size_t)w;
}

static inline size_t mmsghdr_layout_size(unsigned w)
{
	return 8 * (size_t)w;
}

/* Offsets of msg_iov and msg_iovlen, and of mmsghdr's msg_len. */
static inline size_t msghdr_iov_offset(unsigned w) { return 2 * (size_t)w; }
static inline size_t msghdr_iovlen_offset(unsigned w) { return 3 * (size_t)w; }
static inline size_t mmsghdr_len_offset(unsigned w) { return 7 * (size_t)w; }

#endif
