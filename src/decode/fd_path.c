/* -y and -yy: what a descriptor refers to, read from /proc. -y prints the
 * path (or "socket:[INODE]"); -yy also the socket's endpoints, looked up
 * by inode in /proc/TID/net/{tcp,tcp6,udp,udp6,unix}, and for AF_UNIX
 * sockets first with sock_diag (unix_diag.c), which also gives the peer. */
#include "ptrc/decode.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "ptrc/escape.h"
#include "unix_diag.h"

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

/* "UNIX:[INODE->PEER,"path"]": the peer only when connected, the name
 * only when bound; an abstract name (leading NUL) as @"name". */
static void print_unix(struct strbuf *sb, const char *label, unsigned long inode,
		       const struct unix_diag_info *info)
{
	sb_printf(sb, "%s:[%lu", label, inode);
	if (info->peer)
		sb_printf(sb, "->%lu", info->peer);
	if (info->name_len > 0) {
		sb_putc(sb, ',');
		if (info->name[0] == '\0') {
			sb_putc(sb, '@');
			escape_quoted(sb, info->name + 1, info->name_len - 1,
				      ESCAPE_C, false);
		} else {
			escape_quoted(sb, info->name, info->name_len, ESCAPE_C, false);
		}
	}
	sb_putc(sb, ']');
}

/* Look for INODE in /proc/TID/net/unix: the name, no peer. */
static bool unix_socket_proc(pid_t tid, unsigned long inode,
			     struct unix_diag_info *info)
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
		char *name = line + name_at;
		size_t len = strcspn(name, "\n");
		if (len > sizeof info->name)
			len = sizeof info->name;
		memset(info, 0, sizeof *info);
		memcpy(info->name, name, len);
		info->name_len = len;
		/* /proc shows an abstract name's leading NUL as '@'. */
		if (len > 0 && info->name[0] == '@')
			info->name[0] = '\0';
		found = true;
	}
	fclose(f);
	return found;
}

/* The kernel's sock_diag first (it knows the peer), /proc/TID/net/unix
 * when it cannot answer. */
static bool unix_socket(pid_t tid, const char *label, unsigned long inode,
			struct strbuf *sb)
{
	struct unix_diag_info info;
	if (!unix_diag_lookup(tid, inode, &info) &&
	    !unix_socket_proc(tid, inode, &info))
		return false;
	print_unix(sb, label, inode, &info);
	return true;
}

/* The socket's protocol name, as the kernel gives it for the descriptor
 * LINK ("TCP", "UNIX", "UNIX-STREAM", ...); strace prints the same. Only
 * letters, digits and '-' are taken. */
static bool socket_proto(const char *link, char *out, size_t size)
{
	ssize_t n = getxattr(link, "system.sockprotoname", out, size - 1);
	if (n <= 0)
		return false;
	out[n] = '\0';
	out[strnlen(out, (size_t)n)] = '\0';  /* the kernel's count has the NUL */
	for (char *c = out; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-')
			return false;
	return *out != '\0';
}

static bool socket_endpoints(pid_t tid, const char *link, unsigned long inode,
			     struct strbuf *sb)
{
	char proto[32];
	if (socket_proto(link, proto, sizeof proto) && strncmp(proto, "UNIX", 4) == 0)
		return unix_socket(tid, proto, inode, sb);
	return inet_socket(tid, "tcp", "TCP", false, inode, sb) ||
	       inet_socket(tid, "tcp6", "TCPv6", true, inode, sb) ||
	       inet_socket(tid, "udp", "UDP", false, inode, sb) ||
	       inet_socket(tid, "udp6", "UDPv6", true, inode, sb) ||
	       unix_socket(tid, "UNIX", inode, sb);
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
	    socket_endpoints(tid, link, inode, sb)) {
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
