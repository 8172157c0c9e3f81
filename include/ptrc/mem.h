/* Reading tracee memory. The tracee's memory is hostile input: every read
 * is bounded by the caller and may fail or come back short. */
#ifndef PTRC_MEM_H
#define PTRC_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Read up to LEN bytes at ADDR. Returns the number of bytes read from the
 * start of the range (short when the range runs into unmapped memory), or
 * -1 with errno set when not even the first byte could be read. */
ssize_t mem_read(pid_t tid, uint64_t addr, void *buf, size_t len);

/* Read a NUL-terminated string of at most MAX bytes (not counting the NUL)
 * into BUF (which has room for MAX + 1 bytes). Sets *TERMINATED when the
 * NUL was found within MAX bytes. Returns the length read, or -1 when the
 * first byte is unreadable. Reads page by page, so a string that ends just
 * before an unmapped page is still read. */
ssize_t mem_read_str(pid_t tid, uint64_t addr, char *buf, size_t max,
		     bool *terminated);

/* Read one word of WORD_SIZE (4 or 8) bytes; returns 0 or -1. */
int mem_read_word(pid_t tid, uint64_t addr, unsigned word_size, uint64_t *out);

/* Fuzzers and unit tests serve tracee memory from a function instead of
 * another process. READER follows mem_read's contract; NULL restores the
 * real reads. */
typedef ssize_t (*mem_reader_fn)(pid_t tid, uint64_t addr, void *buf,
				 size_t len);
void mem_set_reader(mem_reader_fn reader);

#endif
