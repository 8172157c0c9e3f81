/* -y and -yy: what a descriptor refers to, read from /proc. -y prints the
 * path (or "socket:[INODE]"); -yy also the socket's endpoints, looked up
 * by inode in /proc/TID/net/{tcp,tcp6,udp,udp6,unix}. */
#include "ptrc/decode.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptrc/escape.h"

/* "0100007F:0019" (network byte order words as hex) -> "127.0.0.1:25" */
static bool format_endpoint(const char *hex, bool v6, char *out, size_t size)
{
	char addr_hex[33];
	unsigned port;
	if (sscanf(hex, "%32[0-9A-Fa-f]:%x", addr_hex, &port) != 2)
		return false;
	unsigned char bytes[16];
	size_t n = v6 ? 16 : 4;
	if (strlen(addr_hex) != n * 2)
		return false;
	/* /proc prints each 32-bit word as a host-order number. */
	for (size_t w = 0; w < n / 4; w++) {
		char word_hex[9] = { 0 };
		memcpy(word_hex, addr_hex + w * 8, 8);
		uint32_t v = (uint32_t)strtoul(word_hex, NULL, 16);
		memcpy(bytes + w * 4, &v, 4);
	}
	char text[INET6_ADDRSTRLEN];
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, text, sizeof text))
		return false;
	snprintf(out, size, v6 ? "[%s]:%u" : "%s:%u", text, port);
	return true;
}

/* Look for INODE in /proc/TID/net/FILE (tcp-style table). */
static bool inet_socket(pid_t tid, const char *file, const char *label,
			bool v6, unsigned long inode, struct strbuf *sb)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/net/%s", tid, file);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[512];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		char local[64], remote[64];
		unsigned state;
		unsigned long ino;
		if (sscanf(line, " %*u: %63s %63s %x %*s %*s %*s %*u %*u %lu",
			   local, remote, &state, &ino) != 4 || ino != inode)
			continue;
		char l[80], r[80];
		if (!format_endpoint(local, v6, l, sizeof l) ||
		    !format_endpoint(remote, v6, r, sizeof r))
			break;
		/* A listening or unconnected socket has a zero remote end. */
		bool connected = !strstr(remote, v6 ? "00000000000000000000000000000000:0000" :
					  "00000000:0000");
		if (connected)
			sb_printf(sb, "%s:[%s->%s]", label, l, r);
		else
			sb_printf(sb, "%s:[%s]", label, l);
		found = true;
	}
	fclose(f);
	return found;
}

static bool unix_socket(pid_t tid, unsigned long inode, struct strbuf *sb)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/net/unix", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[512 + 108];
	bool found = false;
	while (!found && fgets(line, sizeof line, f)) {
		unsigned long ino;
		int name_at = 0;
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %n", &ino, &name_at) < 1 ||
		    ino != inode)
			continue;
		sb_printf(sb, "UNIX:[%lu", inode);
		char *name = line + name_at;
		name[strcspn(name, "\n")] = '\0';
		if (*name) {
			sb_putc(sb, ',');
			escape_quoted(sb, name, strlen(name), ESCAPE_C, false);
		}
		sb_putc(sb, ']');
		found = true;
	}
	fclose(f);
	return found;
}

void decode_fd(struct strbuf *sb, pid_t tid, int fd, unsigned level)
{
	sb_printf(sb, "%d", fd);
	if (level == 0 || fd < 0)
		return;
	char link[64], target[4096];
	snprintf(link, sizeof link, "/proc/%d/fd/%d", tid, fd);
	ssize_t n = readlink(link, target, sizeof target - 1);
	if (n <= 0)
		return;
	target[n] = '\0';
	sb_putc(sb, '<');
	unsigned long inode;
	if (level >= 2 && sscanf(target, "socket:[%lu]", &inode) == 1 &&
	    (inet_socket(tid, "tcp", "TCP", false, inode, sb) ||
	     inet_socket(tid, "tcp6", "TCPv6", true, inode, sb) ||
	     inet_socket(tid, "udp", "UDP", false, inode, sb) ||
	     inet_socket(tid, "udp6", "UDPv6", true, inode, sb) ||
	     unix_socket(tid, inode, sb))) {
		sb_putc(sb, '>');
		return;
	}
	/* Paths are the tracee's to choose: escape, without quotes. */
	size_t start = sb->len;
	escape_quoted(sb, target, (size_t)n, ESCAPE_C, false);
	/* drop the quotes escape_quoted added */
	memmove(sb->data + start, sb->data + start + 1, sb->len - start - 2);
	sb->len -= 2;
	sb->data[sb->len] = '\0';
	sb_putc(sb, '>');
}
