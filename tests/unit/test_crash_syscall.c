/* /proc/TID/syscall's text as the crash report reads it
 * (src/modes/crash_syscall_proc.c): the kernel's three forms, and garbage
 * refused whole; the return codes that mean "still waiting". Plus this
 * thread's own file, for the format of the running kernel. */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check.h"
#include "../../src/modes/crash_syscall.h"
#include "../../src/modes/crash_syscall_proc.h"

static enum proc_syscall_kind parse(const char *s, uint64_t *nr,
				    uint64_t args[6])
{
	return proc_syscall_parse(s, strlen(s), nr, args);
}

static void check_forms(void)
{
	uint64_t nr = 99, a[6] = { 0 };
	CHECK(parse("running\n", &nr, a) == PROC_SYSCALL_RUNNING);
	CHECK(parse("-1 0x7ffd1234 0x401000\n", &nr, a) == PROC_SYSCALL_NONE);
	CHECK(nr == 99);
	CHECK(parse("0 0x3 0x7ffd0000 0x40 0x0 0x0 0x0 0x7ffc0000 "
		    "0x7f00000012ec\n", &nr, a) == PROC_SYSCALL_IN);
	CHECK(nr == 0 && a[0] == 3 && a[1] == 0x7ffd0000 && a[2] == 0x40 &&
	      a[5] == 0);
	CHECK(parse("202 0xffffffffffffffff 0x80 0x2 0x0 0x0 0xffffffff "
		    "0x1 0x2", &nr, a) == PROC_SYSCALL_IN);  /* no newline */
	CHECK(nr == 202 && a[0] == UINT64_MAX && a[5] == 0xffffffff);
}

static void check_garbage(void)
{
	static const char *const bad[] = {
		"", "\n", "runningx\n", "running\n\n", "1", "x 0x1 0x2\n",
		"-1 0x1\n", "-1 0x1 0x2 0x3\n", "-1 1 2\n",
		"0 0x3 0x7ffd0000 0x40 0x0 0x0 0x0 0x7ffc0000\n", /* no pc */
		"0 0x3 0x7ffd0000 0x40 0x0 0x0 0x0 0x7ffc0000 0x1 0x2\n",
		"0  0x3 0x7ffd0000 0x40 0x0 0x0 0x0 0x7ffc0000 0x1\n",
		"0 0x10000000000000000 0x0 0x0 0x0 0x0 0x0 0x0 0x1\n",
		"0 0x 0x0 0x0 0x0 0x0 0x0 0x0 0x1\n",
		"99999999999 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x1\n",
		"0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0x1\nmore",
		"0 0x0 0x0 0x0 0x0 0x0 0x0 0x0 0xg\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		uint64_t nr = 7, a[6] = { 1, 2, 3, 4, 5, 6 };
		enum proc_syscall_kind k = parse(bad[i], &nr, a);
		if (k != PROC_SYSCALL_GARBAGE)
			fprintf(stderr, "accepted: [%s]\n", bad[i]);
		CHECK(k == PROC_SYSCALL_GARBAGE);
		CHECK(nr == 7 && a[0] == 1 && a[5] == 6);  /* untouched */
	}
	/* a NUL inside the bytes is not the end */
	uint64_t nr = 0, a[6] = { 0 };
	CHECK(proc_syscall_parse("running\0", 8, &nr, a) == PROC_SYSCALL_GARBAGE);
}

/* The running kernel's own words: a thread reading its own file sees the
 * read it is in, number and arguments. */
static void check_own_file(void)
{
	char buf[256];
	int fd = open("/proc/thread-self/syscall", O_RDONLY);
	if (fd < 0)
		return;  /* no CONFIG_HAVE_ARCH_TRACEHOOK: nothing to compare */
	ssize_t n = read(fd, buf, sizeof buf);
	close(fd);
	uint64_t nr = 0, a[6] = { 0 };
	CHECK(n > 0 && proc_syscall_parse(buf, (size_t)n, &nr, a) ==
		       PROC_SYSCALL_IN);
	CHECK(nr == SYS_read && a[0] == (uint64_t)fd &&
	      a[1] == (uint64_t)(uintptr_t)buf && a[2] == sizeof buf);
}

static void check_waiting(void)
{
	CHECK(crash_syscall_was_waiting(-512));  /* ERESTARTSYS */
	CHECK(crash_syscall_was_waiting(-513));  /* ERESTARTNOINTR */
	CHECK(crash_syscall_was_waiting(-514));  /* ERESTARTNOHAND */
	CHECK(crash_syscall_was_waiting(-516));  /* ERESTART_RESTARTBLOCK */
	CHECK(crash_syscall_was_waiting(-4));    /* EINTR */
	CHECK(!crash_syscall_was_waiting(-515)); /* ENOIOCTLCMD: never seen */
	CHECK(!crash_syscall_was_waiting(0));
	CHECK(!crash_syscall_was_waiting(-11));  /* EAGAIN: it returned */
	CHECK(!crash_syscall_was_waiting(512));
}

/* The printers, on fabricated calls: the decoded text is the decode
 * layer's (escaped there); JSON escapes it again as a string. */
static void check_printers(void)
{
	struct strbuf sb;
	sb_init(&sb);
	struct crash_syscall blocked = {
		.state = CRASH_SYSCALL_BLOCKED, .arch = PTRC_ARCH_X86_64,
		.nr = 0, .args = { 3, 0x7ffd0000, 64 }, .ret = -512,
		.call = (char *)"read(3</a\\\"b\\n>, 0x7ffd0000, 64)",
	};
	crash_syscall_text(&sb, &blocked);
	CHECK_STR(sb.data, "Syscall: read(3</a\\\"b\\n>, 0x7ffd0000, 64) "
		  "<unfinished ...>\n");
	sb_reset(&sb);
	sb_puts(&sb, "{\"tid\":5}");
	crash_syscall_json_member(&sb, &blocked);
	CHECK_STR(sb.data, "{\"tid\":5,\"syscall\":{\"state\":\"blocked\","
		  "\"arch\":\"x86_64\",\"number\":0,\"name\":\"read\","
		  "\"args\":[\"0x3\",\"0x7ffd0000\",\"0x40\",\"0x0\",\"0x0\","
		  "\"0x0\"],\"return_register\":-512,\"text\":"
		  "\"read(3</a\\\\\\\"b\\\\n>, 0x7ffd0000, 64)\","
		  "\"return\":null}}");
	struct crash_syscall returned = {
		.state = CRASH_SYSCALL_RETURNED, .arch = PTRC_ARCH_I386,
		.nr = 270, .ret = 0, .call = (char *)"tgkill(7, 7, SIGABRT)",
		.ret_text = (char *)"0",
	};
	sb_reset(&sb);
	crash_syscall_text(&sb, &returned);
	CHECK_STR(sb.data, "Syscall: tgkill(7, 7, SIGABRT) = 0\n");
	sb_reset(&sb);
	sb_puts(&sb, "{}");
	crash_syscall_json_member(&sb, &returned);
	CHECK(strstr(sb.data, "\"state\":\"returned\",\"arch\":\"i386\","
		      "\"number\":270,\"name\":\"tgkill\"") != NULL);
	CHECK(strstr(sb.data, "\"return\":\"0\"}}") != NULL);
	struct crash_syscall refused = {
		.state = CRASH_SYSCALL_REFUSED, .arch = PTRC_ARCH_X86_64,
		.nr = 110, .ret = 110, .call = (char *)"getppid()",
	};
	sb_reset(&sb);
	crash_syscall_text(&sb, &refused);
	CHECK_STR(sb.data, "Syscall: getppid() <not made: SIGSYS in its place>\n");
	sb_reset(&sb);
	sb_puts(&sb, "{}");
	crash_syscall_json_member(&sb, &refused);
	CHECK(strstr(sb.data, "{\"state\":\"refused\",") != NULL);
	CHECK(strstr(sb.data, "\"return_register\":110,\"text\":\"getppid()\","
		      "\"return\":null}}") != NULL);
	/* nothing known: no line, a null member */
	struct crash_syscall none = { 0 };
	sb_reset(&sb);
	crash_syscall_text(&sb, &none);
	crash_syscall_text(&sb, NULL);
	CHECK(sb.len == 0);
	sb_puts(&sb, "{\"tid\":5}");
	crash_syscall_json_member(&sb, NULL);
	CHECK_STR(sb.data, "{\"tid\":5,\"syscall\":null}");
	sb_free(&sb);
}

int main(void)
{
	check_forms();
	check_garbage();
	check_own_file();
	check_waiting();
	check_printers();
	return check_result("crash-syscall");
}
