/* -e read= / -e write= dumps (src/decode/io_dump.c, hexdump.c) on
 * fabricated tracee memory: strace 6.1's rules for buffers that are
 * readable only in part (a later 64 KiB piece: "<Cannot fetch ...>"), the
 * offset's width past 1 MiB, iovec arrays of the i386 layout, a socketcall
 * send, mmsghdr vectors. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ptrc/decode.h"
#include "ptrc/mem.h"
#include "ptrc/syscalls.h"

/* The fabricated memory: [MEM_BASE, MEM_BASE + mem_size) is readable and
 * holds mem[]; everything else is unmapped. */
#define MEM_BASE 0x10000000ull
static unsigned char mem[3 << 20];
static size_t mem_size;

static ssize_t fake_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	(void)tid;
	if (addr < MEM_BASE || addr >= MEM_BASE + mem_size)
		return -1;
	size_t off = (size_t)(addr - MEM_BASE);
	size_t n = len < mem_size - off ? len : mem_size - off;
	memcpy(buf, mem + off, n);
	return (ssize_t)n;
}

static struct ptrc_config config;
static struct strbuf out;

static const char *dump(enum ptrc_arch arch, const char *name,
			const uint64_t args[6], int64_t rval)
{
	long nr = syscall_number(arch, name);
	struct syscall_call call = {
		.tid = 1, .arch = arch, .nr = (uint64_t)nr, .args = args,
		.sig = syscall_lookup(arch, (unsigned long)nr),
	};
	sb_reset(&out);
	decode_io_dump(&out, &config, &call, rval, rval < 0);
	sb_putc(&out, '\0');
	return out.data;
}

static void put32(size_t off, uint32_t v)
{
	memcpy(mem + off, &v, 4);
}

static size_t count_lines(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* 70000 bytes of which the first 65536 + 16 are readable: strace dumps the
 * first piece and says it cannot fetch the second. */
static void test_cannot_fetch(void)
{
	mem_size = 65536 + 16;
	memset(mem, 'a', mem_size);
	uint64_t args[6] = { 5, MEM_BASE, 70000 };
	const char *s = dump(arch_host(), "write", args, -9);
	CHECK(count_lines(s) == 4097);
	CHECK(strstr(s, " | 0fff0  61 61 61 61 61 61 61 61  61 61 61 61 61 61 61 61"
		     "  aaaaaaaaaaaaaaaa |\n") != NULL);
	char want[96];
	snprintf(want, sizeof want, " | <Cannot fetch 4464 bytes from pid 1 @%#llx>\n",
		 (unsigned long long)(MEM_BASE + 65536));
	CHECK(strstr(s, want) != NULL && strcmp(strstr(s, want), want) == 0);
	/* a first piece that cannot be read whole: nothing */
	args[1] = MEM_BASE + mem_size - 4;
	args[2] = 8;
	CHECK_STR(dump(arch_host(), "write", args, 8), "");
	/* a range that wraps: nothing */
	args[1] = ~0ull - 3;
	CHECK_STR(dump(arch_host(), "write", args, 8), "");
}

/* Over 1 MiB, the offset takes as many digits as the last one needs. */
static void test_offset_width(void)
{
	mem_size = (1 << 20) + 17;
	memset(mem, 0, mem_size);
	uint64_t args[6] = { 3, MEM_BASE, mem_size };
	const char *s = dump(arch_host(), "read", args, (int64_t)mem_size);
	CHECK(strncmp(s, " | 000000  00 00", 16) == 0);
	CHECK(strstr(s, "\n | 100010  00            ") != NULL);
}

/* readv of an i386 tracee: 8-byte iovecs, the data bounded by the return
 * value, the dump ended by the first empty buffer; a read that failed
 * dumps nothing; a descriptor out of the set dumps nothing. */
static void test_i386_iovec(void)
{
	mem_size = 4096;
	memcpy(mem + 256, "hello", 5);
	memcpy(mem + 512, "world!", 6);
	put32(0, (uint32_t)MEM_BASE + 256);
	put32(4, 5);
	put32(8, (uint32_t)MEM_BASE + 512);
	put32(12, 6);
	put32(16, (uint32_t)MEM_BASE + 768);
	put32(20, 0);
	uint64_t args[6] = { 0xdeadbeef00000003ull, MEM_BASE, 3 };
	CHECK_STR(dump(PTRC_ARCH_I386, "readv", args, 8),
		  " * 5 bytes in buffer 0\n"
		  " | 00000  68 65 6c 6c 6f                                    hello            |\n"
		  " * 3 bytes in buffer 1\n"
		  " | 00000  77 6f 72                                          wor              |\n");
	CHECK_STR(dump(PTRC_ARCH_I386, "readv", args, -14), "");
	args[0] = 7;   /* not in -e read=3 */
	CHECK_STR(dump(PTRC_ARCH_I386, "readv", args, 8), "");
	/* writev: in full, whatever it returned; stops at the empty third */
	args[0] = 3;
	CHECK_STR(dump(PTRC_ARCH_I386, "writev", args, -5),
		  " * 5 bytes in buffer 0\n"
		  " | 00000  68 65 6c 6c 6f                                    hello            |\n"
		  " * 6 bytes in buffer 1\n"
		  " | 00000  77 6f 72 6c 64 21                                 world!           |\n");
	/* a count of -1, an array running out of the memory: nothing */
	args[2] = 0xffffffff;
	CHECK_STR(dump(PTRC_ARCH_I386, "writev", args, -22), "");
	args[1] = MEM_BASE + mem_size - 8;
	args[2] = 2;
	CHECK_STR(dump(PTRC_ARCH_I386, "writev", args, -14), "");
}

/* i386's socketcall(SYS_SEND, [fd, buf, len, flags]) dumps as send. */
static void test_i386_socketcall_send(void)
{
	mem_size = 4096;
	memcpy(mem + 256, "sent", 4);
	put32(0, 3);
	put32(4, (uint32_t)MEM_BASE + 256);
	put32(8, 4);
	put32(12, 0);
	uint64_t args[6] = { 9 /* SYS_SEND */, MEM_BASE };
	CHECK_STR(dump(PTRC_ARCH_I386, "socketcall", args, 4),
		  " | 00000  73 65 6e 74                                       sent             |\n");
}

/* i386 recvmmsg: 32-byte mmsghdrs, each message's data bounded by its
 * msg_len; sendmmsg that failed reads on until a message is unreadable. */
static void test_i386_mmsghdr(void)
{
	mem_size = 1024;
	memset(mem, 0, mem_size);
	put32(8, (uint32_t)MEM_BASE + 128);   /* msg_iov */
	put32(12, 1);                          /* msg_iovlen */
	put32(28, 3);                          /* msg_len */
	put32(128, (uint32_t)MEM_BASE + 256);
	put32(132, 16);
	memcpy(mem + 256, "abcdef", 6);
	uint64_t args[6] = { 3, MEM_BASE, 1 };
	const char *one =
		" = 1 buffers in vector 0\n"
		" * 3 bytes in buffer 0\n"
		" | 00000  61 62 63                                          abc              |\n";
	CHECK_STR(dump(PTRC_ARCH_I386, "recvmmsg", args, 1), one);
	CHECK_STR(dump(PTRC_ARCH_I386, "recvmmsg", args, -11), "");
	/* 1024 bytes hold 32 messages; all but the first have no iovec */
	const char *s = dump(PTRC_ARCH_I386, "sendmmsg", args, -9);
	CHECK(strncmp(s, one, strlen(one)) == 0);
	CHECK(count_lines(s) == 3 + 31);
	CHECK(strstr(s, " = 0 buffers in vector 31\n") != NULL);
}

int main(void)
{
	mem_set_reader(fake_read);
	sb_init(&out);
	memset(config.read_dump_fds, 0, sizeof config.read_dump_fds);
	config.read_dump_fds[0] = 1 << 3;
	config.write_dump_fds[0] = 1 << 3 | 1 << 5;
	config.dump_reads = config.dump_writes = true;
	test_cannot_fetch();
	test_offset_width();
	test_i386_iovec();
	test_i386_socketcall_send();
	test_i386_mmsghdr();
	return check_result("io_dump");
}
