/* -y and -yy (src/decode/fd_path.c, fd_socket.c and the sock_diag
 * clients) on descriptors of this process: each form strace 6.1 prints,
 * with names chosen to need escaping. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <fcntl.h>
#include <stddef.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "check.h"
#include "ptrc/decode.h"

static struct strbuf out;

static const char *fd_text(int fd, unsigned level)
{
	sb_reset(&out);
	decode_fd(&out, getpid(), fd, level);
	sb_putc(&out, '\0');
	return out.data;
}

static unsigned long inode_of(int fd)
{
	struct stat st;
	return fstat(fd, &st) == 0 ? (unsigned long)st.st_ino : 0;
}

static void test_tcp(void)
{
	char want[160];
	int l = socket(AF_INET, SOCK_STREAM, 0);
	snprintf(want, sizeof want, "%d<TCP:[%lu]>", l, inode_of(l));
	CHECK_STR(fd_text(l, DECODE_FD_ALL), want);  /* the kernel lists it nowhere yet */
	snprintf(want, sizeof want, "%d<socket:[%lu]>", l, inode_of(l));
	CHECK_STR(fd_text(l, DECODE_FD_PATH), want);
	snprintf(want, sizeof want, "%d", l);
	CHECK_STR(fd_text(l, 0), want);

	struct sockaddr_in a = { .sin_family = AF_INET };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (bind(l, (struct sockaddr *)&a, sizeof a) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &len) < 0) {
		CHECK(!"listen");
		return;
	}
	unsigned port = ntohs(a.sin_port);
	snprintf(want, sizeof want, "%d<TCP:[127.0.0.1:%u]>", l, port);
	CHECK_STR(fd_text(l, DECODE_FD_ALL), want);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) {
		CHECK(!"connect");
		return;
	}
	struct sockaddr_in me;
	len = sizeof me;
	getsockname(c, (struct sockaddr *)&me, &len);
	snprintf(want, sizeof want, "%d<TCP:[127.0.0.1:%u->127.0.0.1:%u]>", c,
		 ntohs(me.sin_port), port);
	CHECK_STR(fd_text(c, DECODE_FD_ALL), want);
	/* Final: printed again from the cache, the same. */
	CHECK_STR(fd_text(c, DECODE_FD_ALL), want);
	close(c);
	close(l);
}

static void test_unix(void)
{
	char want[300];
	int pair[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) {
		CHECK(!"socketpair");
		return;
	}
	unsigned long i0 = inode_of(pair[0]), i1 = inode_of(pair[1]);
	snprintf(want, sizeof want, "%d<UNIX-STREAM:[%lu->%lu]>", pair[0], i0, i1);
	CHECK_STR(fd_text(pair[0], DECODE_FD_ALL), want);
	close(pair[1]);
	/* The peer closed: still shown, as strace keeps it. */
	CHECK_STR(fd_text(pair[0], DECODE_FD_ALL), want);
	close(pair[0]);

	/* A name with a quote, brackets and a newline: quoted, not escaped
	 * for the brackets (strace quotes socket names plainly). */
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char name[] = "ptrc-test\"<>\n";
	memcpy(sun.sun_path + 1, name, sizeof name - 1);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + sizeof name);
	if (bind(s, (struct sockaddr *)&sun, len) == 0) {
		snprintf(want, sizeof want,
			 "%d<UNIX:[%lu,@\"ptrc-test\\\"<>\\n\"]>", s, inode_of(s));
		CHECK_STR(fd_text(s, DECODE_FD_ALL), want);
	}
	close(s);
}

static void test_netlink(void)
{
	char want[160];
	int s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK, .nl_pid = 0x7e654321 };
	if (s < 0 || bind(s, (struct sockaddr *)&nl, sizeof nl) < 0)
		return;  /* no netlink here */
	snprintf(want, sizeof want, "%d<NETLINK:[ROUTE:%u]>", s, 0x7e654321u);
	CHECK_STR(fd_text(s, DECODE_FD_ALL), want);
	close(s);
}

static void test_files(void)
{
	char want[300], path[] = "/tmp/ptrc-test-<fd>7-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		CHECK(!"mkstemp");
		return;
	}
	/* '<' and '>' in octal, the long form before an octal digit */
	snprintf(want, sizeof want, "%d</tmp/ptrc-test-\\74fd\\0767-%s>", fd,
		 path + strlen("/tmp/ptrc-test-<fd>7-"));
	CHECK_STR(fd_text(fd, DECODE_FD_PATH), want);
	unlink(path);
	snprintf(want, sizeof want, "%d</tmp/ptrc-test-\\74fd\\0767-%s>(deleted)",
		 fd, path + strlen("/tmp/ptrc-test-<fd>7-"));
	CHECK_STR(fd_text(fd, DECODE_FD_PATH), want);
	close(fd);

	int null = open("/dev/null", O_RDONLY);
	snprintf(want, sizeof want, "%d</dev/null<char 1:3>>", null);
	CHECK_STR(fd_text(null, DECODE_FD_ALL), want);
	snprintf(want, sizeof want, "%d</dev/null>", null);
	CHECK_STR(fd_text(null, DECODE_FD_PATH), want);
	close(null);

#ifdef SYS_pidfd_open
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd >= 0) {
		snprintf(want, sizeof want, "%d<pid:%d>", pidfd, (int)getpid());
		CHECK_STR(fd_text(pidfd, DECODE_FD_ALL), want);
		snprintf(want, sizeof want, "%d<anon_inode:[pidfd]>", pidfd);
		CHECK_STR(fd_text(pidfd, DECODE_FD_PATH), want);
		close(pidfd);
	}
#endif
	CHECK_STR(fd_text(-1, DECODE_FD_ALL), "-1");
	CHECK_STR(fd_text(9999, DECODE_FD_ALL), "9999");
}

/* -x and -xx: paths in hex as strace's strings; a socket strace cannot
 * name stays the kernel's plain "socket:[N]". */
static void test_hex_paths(void)
{
	char want[200];
	int null = open("/dev/null", O_RDONLY);
	decode_fd_set_escape(ESCAPE_HEX_ALL);
	snprintf(want, sizeof want, "%d<\\x2f\\x64\\x65\\x76\\x2f\\x6e\\x75"
		 "\\x6c\\x6c<char 1:3>>", null);
	CHECK_STR(fd_text(null, DECODE_FD_ALL), want);
	decode_fd_set_escape(ESCAPE_HEX_NONASCII);
	snprintf(want, sizeof want, "%d</dev/null>", null);
	CHECK_STR(fd_text(null, DECODE_FD_PATH), want);
	close(null);
	decode_fd_set_escape(ESCAPE_HEX_ALL);
	int lite = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
	if (lite >= 0) {  /* the kernel names it "UDP-Lite" */
		snprintf(want, sizeof want, "%d<socket:[%lu]>", lite, inode_of(lite));
		CHECK_STR(fd_text(lite, DECODE_FD_ALL), want);
		close(lite);
	}
	decode_fd_set_escape(ESCAPE_C);
}

/* --decode-fds= sets as strace 6.1's printfd_pid: the kinds in the set
 * print their details, any other descriptor its path only with "path". */
static void test_sets(void)
{
	char want[300];
	int null = open("/dev/null", O_RDONLY);
	int file = open("/proc/self/exe", O_RDONLY);
	int pair[2];
	if (null < 0 || file < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0) {
		CHECK(!"open");
		return;
	}
	snprintf(want, sizeof want, "%d</dev/null<char 1:3>>", null);
	CHECK_STR(fd_text(null, DECODE_FD_DEV), want);
	snprintf(want, sizeof want, "%d", null);
	CHECK_STR(fd_text(null, DECODE_FD_SOCKET | DECODE_FD_PIDFD), want);
	snprintf(want, sizeof want, "%d</dev/null>", null);
	CHECK_STR(fd_text(null, DECODE_FD_PATH | DECODE_FD_SOCKET), want);
	snprintf(want, sizeof want, "%d", file);
	CHECK_STR(fd_text(file, DECODE_FD_DEV | DECODE_FD_SOCKET), want);
	snprintf(want, sizeof want, "%d", pair[0]);
	CHECK_STR(fd_text(pair[0], DECODE_FD_DEV), want);
	/* path alone: the kernel's name, no netlink question */
	snprintf(want, sizeof want, "%d<socket:[%lu]>", pair[0], inode_of(pair[0]));
	CHECK_STR(fd_text(pair[0], DECODE_FD_PATH | DECODE_FD_DEV), want);
	snprintf(want, sizeof want, "%d<UNIX-STREAM:[%lu->%lu]>", pair[0],
		 inode_of(pair[0]), inode_of(pair[1]));
	CHECK_STR(fd_text(pair[0], DECODE_FD_SOCKET), want);
#ifdef SYS_pidfd_open
	int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd >= 0) {
		snprintf(want, sizeof want, "%d<pid:%d>", pidfd, (int)getpid());
		CHECK_STR(fd_text(pidfd, DECODE_FD_PIDFD), want);
		snprintf(want, sizeof want, "%d", pidfd);
		CHECK_STR(fd_text(pidfd, DECODE_FD_DEV), want);
		close(pidfd);
	}
#endif
	/* AT_FDCWD's directory is a path: only with "path" */
	sb_reset(&out);
	decode_dirfd(&out, getpid(), AT_FDCWD, DECODE_FD_ALL & ~DECODE_FD_PATH,
		     XLAT_STYLE_ABBREV);
	CHECK_STR(out.data, "AT_FDCWD");
	close(null);
	close(file);
	close(pair[0]);
	close(pair[1]);
}

static void test_dirfd(void)
{
	char cwd[4096], want[4200];
	if (!getcwd(cwd, sizeof cwd))
		return;
	sb_reset(&out);
	decode_dirfd(&out, getpid(), AT_FDCWD, 0, XLAT_STYLE_ABBREV);
	CHECK_STR(out.data, "AT_FDCWD");
	sb_reset(&out);
	decode_dirfd(&out, getpid(), AT_FDCWD, 0, XLAT_STYLE_RAW);
	CHECK_STR(out.data, "-100");
	sb_reset(&out);
	decode_dirfd(&out, getpid(), AT_FDCWD, 1, XLAT_STYLE_VERBOSE);
	snprintf(want, sizeof want, "-100 /* AT_FDCWD */<%s>", cwd);
	CHECK_STR(out.data, want);
	sb_reset(&out);
	decode_dirfd(&out, getpid(), -5, 1, XLAT_STYLE_RAW);
	CHECK_STR(out.data, "-5");
}

int main(void)
{
	sb_init(&out);
	test_tcp();
	test_unix();
	test_netlink();
	test_files();
	test_hex_paths();
	test_sets();
	test_dirfd();
	sb_free(&out);
	return check_result("fd_path");
}
