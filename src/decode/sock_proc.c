/* See sock_proc.h. The lines are the kernel's, the names in them the
 * tracee's: every field is parsed with bounds. */
#include "sock_proc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* "0100007F:0019" (each 32-bit word of the address in host order, as
 * hex) -> the address bytes in network order and the port. */
static bool parse_endpoint(const char *hex, int family, unsigned char addr[16],
			   uint16_t *port)
{
	char addr_hex[33];
	unsigned p;
	if (sscanf(hex, "%32[0-9A-Fa-f]:%x", addr_hex, &p) != 2 || p > 0xffff)
		return false;
	size_t n = family == AF_INET6 ? 16 : 4;
	if (strlen(addr_hex) != n * 2)
		return false;
	for (size_t w = 0; w < n / 4; w++) {
		char word_hex[9] = { 0 };
		memcpy(word_hex, addr_hex + w * 8, 8);
		uint32_t v = (uint32_t)strtoul(word_hex, NULL, 16);
		memcpy(addr + w * 4, &v, 4);
	}
	*port = (uint16_t)p;
	return true;
}

bool sock_proc_inet(pid_t tid, const char *file, int family,
		    unsigned long inode, struct inet_diag_info *info)
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
		unsigned long ino;
		unsigned state;
		if (sscanf(line, " %*u: %63s %63s %x %*s %*s %*s %*u %*u %lu",
			   local, remote, &state, &ino) != 4 || ino != inode)
			continue;
		memset(info, 0, sizeof *info);
		info->family = family;
		info->state = state;
		found = parse_endpoint(local, family, info->src, &info->sport) &&
			parse_endpoint(remote, family, info->dst, &info->dport);
		break;
	}
	fclose(f);
	return found;
}

/* A bound name is printed raw, newlines included: a tracee can forge
 * lines. A socket's own line comes first among the lines with its inode,
 * so a forged twin makes the answer ambiguous, and none is given. */
bool sock_proc_unix(pid_t tid, unsigned long inode, struct unix_diag_info *info)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/net/unix", tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	char line[512 + 108];
	int matches = 0;
	while (matches < 2 && fgets(line, sizeof line, f)) {
		unsigned long ino;
		int name_at = 0;
		if (sscanf(line, "%*s %*s %*s %*s %*s %*s %lu %n", &ino, &name_at) < 1 ||
		    ino != inode || matches++ > 0)
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
	}
	fclose(f);
	return matches == 1;
}
