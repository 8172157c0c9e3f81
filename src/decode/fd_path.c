/* -y and -yy: what a descriptor refers to, read from /proc/TID/fd, printed
 * as strace 6.1 prints it. -y (strace's --decode-fds=path): the path, or
 * "socket:[INODE]", "anon_inode:[eventfd]"... -yy (--decode-fds=all): a
 * socket's endpoints (fd_socket.c), a device's type and number
 * ("/dev/null<char 1:3>"), a pidfd's process ("pid:1234"), else the path. */
#include "ptrc/decode.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "ptrc/escape.h"
#include "fd_socket.h"
#include "xlat.h"
#include "xlat_tables.h"

/* -x, -xx: how paths are escaped, as strace's strings (decoder_init). */
static enum escape_style path_style = ESCAPE_C;

void decode_fd_set_escape(enum escape_style style)
{
	path_style = style;
}

/* Does -x print PATH all in hex? strace's rule: any byte outside
 * printable ASCII but for \t \n \v \f \r. */
static bool path_needs_hex(const char *path, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if (c > 0x7e || (c < ' ' && (c < 9 || c > 13)))
			return true;
	}
	return false;
}

/* PATH bare, as strace quotes it between angle brackets: C escapes, and
 * '<' and '>' as octal too, so that the brackets stay unambiguous; all of
 * it as \xHH with -xx, or with -x when a byte needs it. */
static void print_path(struct strbuf *sb, const char *path, size_t len)
{
	if (path_style == ESCAPE_HEX_ALL ||
	    (path_style == ESCAPE_HEX_NONASCII && path_needs_hex(path, len))) {
		for (size_t i = 0; i < len; i++)
			sb_printf(sb, "\\x%02x", (unsigned char)path[i]);
		return;
	}
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && path[i] != '<' && path[i] != '>')
			continue;
		if (i > start) {
			/* escape_quoted's quotes are dropped */
			size_t at = sb->len;
			escape_quoted(sb, path + start, i - start, ESCAPE_C, false);
			memmove(sb->data + at, sb->data + at + 1, sb->len - at - 2);
			sb->len -= 2;
			sb->data[sb->len] = '\0';
		}
		if (i < len) {
			bool digit_next = i + 1 < len && path[i + 1] >= '0' &&
					  path[i + 1] <= '7';
			sb_puts(sb, path[i] == '<' ? (digit_next ? "\\074" : "\\74") :
				    (digit_next ? "\\076" : "\\76"));
		}
		start = i + 1;
	}
}

void decode_put_bracketed(struct strbuf *sb, const char *text, size_t len)
{
	print_path(sb, text, len);
}

/* The kernel appends " (deleted)" to the path of an unlinked file. Strip
 * it when the path no longer names the descriptor's file (a file may be
 * called "x (deleted)"), as strace does; true when stripped. */
static bool strip_deleted(const char *link, char *target, size_t *len)
{
	static const char suffix[] = " (deleted)";
	size_t n = sizeof suffix - 1;
	if (*len <= n || memcmp(target + *len - n, suffix, n) != 0)
		return false;
	struct stat by_link, by_path;
	if (stat(link, &by_link) < 0)
		return false;
	char *cut = target + *len - n;
	*cut = '\0';
	if (lstat(target, &by_path) == 0 && by_path.st_ino == by_link.st_ino &&
	    by_path.st_dev == by_link.st_dev) {
		*cut = ' ';
		return false;
	}
	*len -= n;
	return true;
}

/* -yy: "/dev/null<char 1:3>" for a character or block device. The path
 * is looked up in ptrc's view of the file system, as strace does. */
static bool print_device(struct strbuf *sb, const char *path, size_t len)
{
	struct stat st;
	if (path[0] != '/' || stat(path, &st) < 0 ||
	    (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)))
		return false;
	sb_putc(sb, '<');
	print_path(sb, path, len);
	sb_printf(sb, "<%s %u:%u>>", S_ISBLK(st.st_mode) ? "block" : "char",
		  major(st.st_rdev), minor(st.st_rdev));
	return true;
}

/* The "Pid:" of /proc/TID/fdinfo/FD: the process a pidfd refers to, or
 * -1 (the kernel's value for one that is gone, or none found). */
static long pidfd_pid(pid_t tid, int fd)
{
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", tid, fd);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	long pid = -1;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "Pid:\t", 5) == 0) {
			char *end;
			pid = strtol(line + 5, &end, 10);
			if (end == line + 5 || (*end != '\n' && *end != '\0'))
				pid = -1;
			break;
		}
	fclose(f);
	return pid;
}

/* The details strace 6.1 prints instead of the path for the kinds in
 * SET (enum decode_fd_bits), in its order: socket, device, pidfd; false
 * when none applies. */
static bool print_details(struct strbuf *sb, pid_t tid, int fd, unsigned set,
			  const char *link, const char *target, size_t len)
{
	unsigned long inode;
	char end;
	if ((set & DECODE_FD_SOCKET) &&
	    sscanf(target, "socket:[%lu%c", &inode, &end) == 2 && end == ']' &&
	    inode != 0 && target[len - 1] == ']') {
		sb_putc(sb, '<');
		/* "socket:[N]" when strace does not name the protocol: the
		 * kernel's text, checked above, printed as is even with -x. */
		if (!fd_socket_details(sb, tid, link, inode, path_style))
			sb_puts(sb, target);
		sb_putc(sb, '>');
		return true;
	}
	if ((set & DECODE_FD_DEV) && print_device(sb, target, len))
		return true;
	if ((set & DECODE_FD_PIDFD) && strcmp(target, "anon_inode:[pidfd]") == 0) {
		long pid = pidfd_pid(tid, fd);
		if (pid > 0)
			sb_printf(sb, "<pid:%ld>", pid);
		else
			sb_puts(sb, "<anon_inode:[pidfd]>");
		return true;
	}
	return false;
}

ssize_t decode_fd_path(pid_t tid, int fd, char *buf, size_t size, bool *deleted)
{
	*deleted = false;
	if (fd < 0 || size < 2)
		return -1;
	char link[64];
	snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
	ssize_t n = readlink(link, buf, size - 1);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	size_t len = (size_t)n;
	*deleted = strip_deleted(link, buf, &len);
	return (ssize_t)len;
}

void decode_fd(struct strbuf *sb, pid_t tid, int fd, unsigned set)
{
	sb_put_dec(sb, fd);
	if ((set & DECODE_FD_ALL) == 0 || fd < 0)
		return;
	char target[4097];
	bool deleted;
	ssize_t n = decode_fd_path(tid, fd, target, sizeof target, &deleted);
	if (n < 0)
		return;
	size_t len = (size_t)n;
	if ((set & ~DECODE_FD_PATH) && len > 0) {
		char link[64];
		snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
		if (print_details(sb, tid, fd, set, link, target, len))
			return;
	}
	if (!(set & DECODE_FD_PATH))
		return;
	sb_putc(sb, '<');
	print_path(sb, target, len);
	sb_putc(sb, '>');
	if (deleted)
		sb_puts(sb, "(deleted)");
}

void decode_fd_of_pidfd(struct strbuf *sb, pid_t tid, int pidfd, int fd,
			unsigned set)
{
	long pid = set && pidfd >= 0 ? pidfd_pid(tid, pidfd) : -1;
	if (pid > 0 && pid <= INT_MAX)
		decode_fd(sb, (pid_t)pid, fd, set);
	else
		sb_put_dec(sb, fd);
}

void decode_dirfd(struct strbuf *sb, pid_t tid, int fd, unsigned set,
		  enum xlat_style style)
{
	if (fd != AT_FDCWD) {
		decode_fd(sb, tid, fd, set);
		return;
	}
	print_enum_dec(sb, style, &xlat_dirfd, fd);
	if (!(set & DECODE_FD_PATH))  /* strace 6.1: the cwd is a path */
		return;
	/* The cwd as the kernel shows it: strace strips no " (deleted)". */
	char link[64], cwd[4096];
	snprintf(link, sizeof link, "/proc/%d/cwd", tid);
	ssize_t n = readlink(link, cwd, sizeof cwd);
	if (n < 0 || (size_t)n >= sizeof cwd)
		return;
	sb_putc(sb, '<');
	print_path(sb, cwd, (size_t)n);
	sb_putc(sb, '>');
}
