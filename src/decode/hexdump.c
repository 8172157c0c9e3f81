/* -e read= / -e write=: strace's full dump of a buffer, 16 bytes a line:
 *  | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 0a              hello world.     | */
#include "ptrc/decode.h"

#include "ptrc/mem.h"

#define DUMP_CHUNK 4096

static void dump_line(struct strbuf *sb, uint64_t offset,
		      const unsigned char *bytes, size_t n)
{
	sb_printf(sb, " | %05llx ", (unsigned long long)offset);
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

void decode_hexdump(struct strbuf *sb, pid_t tid, uint64_t addr, uint64_t len)
{
	unsigned char chunk[DUMP_CHUNK];
	uint64_t done = 0;
	while (done < len) {
		size_t want = len - done < DUMP_CHUNK ? (size_t)(len - done) : DUMP_CHUNK;
		ssize_t n = mem_read(tid, addr + done, chunk, want);
		if (n <= 0)
			return;
		for (size_t i = 0; i < (size_t)n; i += 16)
			dump_line(sb, done + i, chunk + i,
				  (size_t)n - i < 16 ? (size_t)n - i : 16);
		done += (uint64_t)n;
		if ((size_t)n < want)
			return;
	}
}
