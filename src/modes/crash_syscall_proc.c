/* /proc/TID/syscall's text, and the kernel's restart codes (see
 * crash_syscall_proc.h). The file is the kernel's (proc_pid_syscall):
 * "running", or "-1 0xSP 0xPC", or "NR 0xA1 0xA2 0xA3 0xA4 0xA5 0xA6
 * 0xSP 0xPC", one line. Anything else is refused whole. */
#include "crash_syscall_proc.h"

#include <ctype.h>
#include <string.h>

/* One hex number "0x..." at *P (at most 16 digits) into *OUT. */
static int take_hex(const char **p, const char *end, uint64_t *out)
{
	const char *s = *p;
	if (end - s < 3 || s[0] != '0' || s[1] != 'x')
		return -1;
	s += 2;
	uint64_t v = 0;
	int digits = 0;
	while (s < end && isxdigit((unsigned char)*s)) {
		if (++digits > 16)
			return -1;
		int c = (unsigned char)*s++;
		v = v << 4 | (uint64_t)(isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
	}
	if (!digits)
		return -1;
	*p = s;
	*out = v;
	return 0;
}

/* A decimal number, "-1" included, into *OUT. */
static int take_dec(const char **p, const char *end, int64_t *out)
{
	const char *s = *p;
	int neg = s < end && *s == '-';
	s += neg;
	int64_t v = 0;
	int digits = 0;
	while (s < end && isdigit((unsigned char)*s)) {
		if (++digits > 10)
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	if (!digits)
		return -1;
	*p = s;
	*out = neg ? -v : v;
	return 0;
}

static int take_space(const char **p, const char *end)
{
	if (*p >= end || **p != ' ')
		return -1;
	(*p)++;
	return 0;
}

/* The end of the text: nothing or one newline. */
static int at_end(const char *p, const char *end)
{
	return p == end || (p + 1 == end && *p == '\n');
}

enum proc_syscall_kind proc_syscall_parse(const char *text, size_t len,
					  uint64_t *nr, uint64_t args[6])
{
	const char *p = text, *end = text + len;
	if ((len == 7 || len == 8) && memcmp(text, "running", 7) == 0 &&
	    at_end(text + 7, end))
		return PROC_SYSCALL_RUNNING;
	int64_t number;
	uint64_t sp, pc;
	if (take_dec(&p, end, &number) < 0)
		return PROC_SYSCALL_GARBAGE;
	if (number < 0) {  /* the kernel's "no syscall" is -1 */
		if (take_space(&p, end) || take_hex(&p, end, &sp) ||
		    take_space(&p, end) || take_hex(&p, end, &pc) ||
		    !at_end(p, end))
			return PROC_SYSCALL_GARBAGE;
		return PROC_SYSCALL_NONE;
	}
	uint64_t a[6];
	for (int i = 0; i < 6; i++)
		if (take_space(&p, end) || take_hex(&p, end, &a[i]))
			return PROC_SYSCALL_GARBAGE;
	if (take_space(&p, end) || take_hex(&p, end, &sp) ||
	    take_space(&p, end) || take_hex(&p, end, &pc) || !at_end(p, end))
		return PROC_SYSCALL_GARBAGE;
	*nr = (uint64_t)number;
	memcpy(args, a, sizeof a);
	return PROC_SYSCALL_IN;
}

int crash_syscall_was_waiting(int64_t ret)
{
	return ret == -512 || ret == -513 || ret == -514 || ret == -516 ||
	       ret == -4;
}
