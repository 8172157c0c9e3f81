/* Reading another process's memory: strings that stop at the end of a
 * mapping, unmapped and NULL addresses, reads across pages. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ptrc/mem.h"

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	/* Two pages; the second is unmapped, so a string filling the end of
	 * the first has no terminator within the mapping. */
	char *area = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(area != MAP_FAILED);
	munmap(area + page, (size_t)page);
	memset(area, 'A', (size_t)page);
	char *hello = area + 100;
	strcpy(hello, "hello");
	char *tail = area + page - 5;  /* "AAAAA" then unmapped */

	/* The child is a copy: the same addresses hold the same bytes. */
	pid_t child = check_stopped_copy();
	int status;

	char buf[64];
	bool terminated;
	CHECK(mem_read_str(child, (uintptr_t)hello, buf, 32, &terminated) == 5);
	CHECK(terminated);
	CHECK_STR(buf, "hello");

	/* limit shorter than the string */
	CHECK(mem_read_str(child, (uintptr_t)hello, buf, 3, &terminated) == 3);
	CHECK(!terminated);
	CHECK_STR(buf, "hel");

	/* runs into the unmapped page: the readable part, unterminated */
	ssize_t n = mem_read_str(child, (uintptr_t)tail, buf, 32, &terminated);
	CHECK(n == 5);
	CHECK(!terminated);
	CHECK_STR(buf, "AAAAA");

	/* unreadable addresses fail cleanly */
	CHECK(mem_read_str(child, 0, buf, 32, &terminated) == -1);
	CHECK(mem_read_str(child, (uintptr_t)(area + page), buf, 32, &terminated) == -1);
	CHECK(mem_read(child, 0xffffffffffff0000ull, buf, 16) == -1);
	CHECK(mem_read(child, UINT64_MAX - 3, buf, 16) == -1);

	/* a read across the end of the mapping comes back short */
	CHECK(mem_read(child, (uintptr_t)tail, buf, 16) == 5);

	uint64_t word;
	memcpy(area + 8, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	/* (the child forked before this write: read from the parent itself
	 * is not possible with ptrace, so check the child's copy is older) */
	CHECK(mem_read_word(child, (uintptr_t)(area + 200), 8, &word) == 0);
	CHECK(word == 0x4141414141414141ull);
	CHECK(mem_read_word(child, (uintptr_t)(area + 200), 4, &word) == 0);
	CHECK(word == 0x41414141u);

	kill(child, SIGKILL);
	waitpid(child, &status, __WALL);
	return check_result("mem");
}
