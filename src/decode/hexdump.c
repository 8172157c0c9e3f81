/* Hex and ASCII dumps of tracee buffers, as strace prints them, 16 bytes
 * a line:
 *  | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a              hello world.     |
 * For -e read=/write=, decode_hexdump_whole follows strace 6.1's rules:
 * the buffer is read in pieces of 64 KiB, each of which must be readable
 * whole; an unreadable first piece prints nothing, a later one
 * " | <Cannot fetch N bytes from pid P @0xADDR>" and ends the dump. The
 * offset takes 5 hex digits, more for buffers over 1 MiB. */
#include "ptrc/decode.h"

#include <stdlib.h>

#include "ptrc/mem.h"

#define DUMP_PIECE 65536

static void dump_line(struct strbuf *sb, int offset_digits, uint64_t offset,
		      const unsigned char *bytes, size_t n)
{
	sb_printf(sb, " | %0*llx ", offset_digits, (unsigned long long)offset);
	for (size_t i = 0; i < 16; i++) {
		if (i == 8)
			sb_putc(sb, ' ');
		if (i < n)
			sb_printf(sb, " %02x", bytes[i]);
		else
			sb_puts(sb, "   ");
	}
	sb_puts(sb, "  ");
	for (size_t i = 0; i < 16; i++)
		sb_putc(sb, i < n ? (bytes[i] >= 0x20 && bytes[i] < 0x7f ?
				     (char)bytes[i] : '.') : ' ');
	sb_puts(sb, " |\n");
}

/* Hex digits of the offset: 5, or enough for LEN - 1 past 1 MiB. */
static int offset_digits(uint64_t len)
{
	if (len <= (1u << 20))
		return 5;
	int bits = 63 - __builtin_clzll(len - 1);
	return 1 + bits / 4;
}

/* -l's -e dump: what is readable of the buffer, no more. */
void decode_hexdump(struct strbuf *sb, pid_t tid, uint64_t addr, uint64_t len)
{
	unsigned char chunk[4096];
	int digits = offset_digits(len);
	for (uint64_t done = 0; done < len;) {
		size_t want = len - done < sizeof chunk ? (size_t)(len - done)
							: sizeof chunk;
		ssize_t n = mem_read(tid, addr + done, chunk, want);
		if (n <= 0)
			return;
		for (size_t i = 0; i < (size_t)n; i += 16)
			dump_line(sb, digits, done + i, chunk + i,
				  (size_t)n - i < 16 ? (size_t)n - i : 16);
		done += (uint64_t)n;
		if ((size_t)n < want)
			return;
	}
}

void decode_hexdump_whole(struct strbuf *sb, pid_t tid, uint64_t addr, uint64_t len)
{
	/* lengths and ranges that wrap are not dumped (strace skips them) */
	if (len == 0 || len > len + 16 || addr + len < addr)
		return;
	size_t piece = len < DUMP_PIECE ? (size_t)((len + 15) & ~(uint64_t)15)
					: DUMP_PIECE;
	unsigned char *buf = malloc(piece);
	if (!buf)
		return;
	int digits = offset_digits(len);
	for (uint64_t done = 0; done < len; done += piece) {
		size_t want = len - done < piece ? (size_t)(len - done) : piece;
		if (mem_read(tid, addr + done, buf, want) != (ssize_t)want) {
			if (done)
				sb_printf(sb, " | <Cannot fetch %zu byte%s from pid %d @%#llx>\n",
					  want, want == 1 ? "" : "s", (int)tid,
					  (unsigned long long)(addr + done));
			break;
		}
		for (size_t i = 0; i < want; i += 16)
			dump_line(sb, digits, done + i, buf + i,
				  want - i < 16 ? want - i : 16);
	}
	free(buf);
}
