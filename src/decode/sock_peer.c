/* See ptrc/sock_peer.h. The descriptor's link (/proc/TID/fd/N) names the
 * socket's inode and its "system.sockprotoname" attribute the protocol;
 * the kernel's table of that protocol gives the ends. */
#include "ptrc/sock_peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/xattr.h>

#include "inet_diag.h"
#include "sock_diag.h"
#include "sock_proc.h"

#define TCP_LISTEN_STATE 10  /* include/net/tcp_states.h */

/* The inode of "socket:[N]", or 0 when LINK names something else. */
static unsigned long socket_inode(const char *link)
{
	unsigned long inode;
	char end;
	if (sscanf(link, "socket:[%lu%c", &inode, &end) != 2 || end != ']')
		return 0;
	return inode;
}

/* AF_INET for "TCP", AF_INET6 for "TCPv6", AF_UNIX for "UNIX-STREAM",
 * 0 for any other protocol. */
static int tcp_family(const char *fd_path)
{
	char name[32];
	ssize_t n = getxattr(fd_path, "system.sockprotoname", name,
			     sizeof name - 1);
	if (n <= 0)
		return 0;
	name[n] = '\0';
	if (!strcmp(name, "TCP"))
		return AF_INET;
	if (!strcmp(name, "TCPv6"))
		return AF_INET6;
	if (!strcmp(name, "UNIX-STREAM"))
		return AF_UNIX;
	return 0;
}

/* ::ffff:a.b.c.d, as a dual-stack listener gives an IPv4 client. */
static void unmap_v4(int *family, unsigned char addr[16])
{
	static const unsigned char prefix[12] = { [10] = 0xff, [11] = 0xff };
	if (*family == AF_INET6 && !memcmp(addr, prefix, sizeof prefix)) {
		memmove(addr, addr + 12, 4);
		memset(addr + 4, 0, 12);
		*family = AF_INET;
	}
}

enum sock_peer_kind decode_socket_peer(pid_t tid, int fd, struct sock_peer *peer)
{
	char path[64], link[64];
	snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)tid, fd);
	ssize_t n = readlink(path, link, sizeof link - 1);
	if (n < 0)
		return SOCK_PEER_GONE;
	link[n] = '\0';
	unsigned long inode = socket_inode(link);
	int family = inode ? tcp_family(path) : 0;
	if (!family)
		return SOCK_PEER_OTHER;
	if (family == AF_UNIX)
		return SOCK_PEER_UNIX_STREAM;
	struct inet_diag_info info;
	bool found = sock_diag_same_netns(tid) ?
		inet_diag_lookup(tid, family, IPPROTO_TCP, inode, &info) :
		sock_proc_inet(tid, family == AF_INET6 ? "tcp6" : "tcp", family,
			       inode, &info);
	if (!found)
		return SOCK_PEER_UNSET;  /* not bound yet */
	if (info.state == TCP_LISTEN_STATE)
		return SOCK_PEER_OTHER;
	static const unsigned char zero[16];
	if (!info.dport && !memcmp(info.dst, zero, sizeof zero))
		return SOCK_PEER_UNSET;
	peer->family = info.family;
	memcpy(peer->addr, info.dst, sizeof peer->addr);
	peer->port = info.dport;
	unmap_v4(&peer->family, peer->addr);
	int local_family = info.family;
	memcpy(peer->local_addr, info.src, sizeof peer->local_addr);
	unmap_v4(&local_family, peer->local_addr);
	peer->local_port = info.sport;
	return SOCK_PEER_REMOTE;
}
