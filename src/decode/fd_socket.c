/* See fd_socket.h. What the kernel says of a socket is kept by inode
 * (sock_cache.h) and printed again, as strace 6.1 does, when the kernel
 * has forgotten it: a stream socket at close still shows the peer that
 * closed first. Unlike strace, ptrc asks again while the facts may change
 * (a bound socket may yet connect), so that it never prints a socket as
 * it was rather than as it is. */
#include "fd_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/xattr.h>

#include "ptrc/escape.h"
#include "inet_diag.h"
#include "netlink_diag.h"
#include "sock_cache.h"
#include "sock_diag.h"
#include "sock_proc.h"
#include "unix_diag.h"
#include "xlat.h"
#include "xlat_tables.h"

#ifndef IPPROTO_L2TP
#define IPPROTO_L2TP 115
#endif

/* The protocols strace 6.1 names, by the kernel's name of the socket's
 * protocol (the "system.sockprotoname" attribute), in the order strace
 * tries them for a socket whose protocol it does not know. */
static const struct sock_proto {
	const char *name;
	int family;
	int protocol;
} sock_protos[] = {
	{ "UNIX", AF_UNIX, 0 },
	{ "UNIX-STREAM", AF_UNIX, 0 },
	{ "TCP", AF_INET, IPPROTO_TCP },
	{ "UDP", AF_INET, IPPROTO_UDP },
	{ "UDPLITE", AF_INET, IPPROTO_UDPLITE },
	{ "DCCP", AF_INET, IPPROTO_DCCP },
	{ "SCTP", AF_INET, IPPROTO_SCTP },
	{ "L2TP/IP", AF_INET, IPPROTO_L2TP },
	{ "PING", AF_INET, IPPROTO_ICMP },
	{ "RAW", AF_INET, IPPROTO_RAW },
	{ "TCPv6", AF_INET6, IPPROTO_TCP },
	{ "UDPv6", AF_INET6, IPPROTO_UDP },
	{ "UDPLITEv6", AF_INET6, IPPROTO_UDPLITE },
	{ "DCCPv6", AF_INET6, IPPROTO_DCCP },
	{ "SCTPv6", AF_INET6, IPPROTO_SCTP },
	{ "L2TP/IPv6", AF_INET6, IPPROTO_L2TP },
	{ "PINGv6", AF_INET6, IPPROTO_ICMP },
	{ "RAWv6", AF_INET6, IPPROTO_RAW },
	{ "NETLINK", AF_NETLINK, 0 },
};
#define SOCK_PROTO_COUNT (sizeof sock_protos / sizeof sock_protos[0])

/* The entry of the descriptor's protocol, or NULL when the kernel gives
 * no name or one strace does not know ("PACKET", "UDP-Lite"...). */
static const struct sock_proto *socket_proto(const char *link)
{
	char name[256];
	ssize_t n = getxattr(link, "system.sockprotoname", name, sizeof name - 1);
	if (n <= 0)
		return NULL;
	name[n] = '\0';  /* the kernel's count may or may not hold the NUL */
	for (size_t i = 0; i < SOCK_PROTO_COUNT; i++)
		if (strcmp(name, sock_protos[i].name) == 0)
			return &sock_protos[i];
	return NULL;
}

/* "UNIX:[INODE->PEER,"path"]": the peer only when connected, the name
 * only when bound; an abstract name (leading NUL) as @"name". A name
 * prints up to its first NUL. */
static void print_unix(struct strbuf *sb, const char *label, unsigned long inode,
		       const struct unix_diag_info *info, enum escape_style style)
{
	sb_printf(sb, "%s:[%lu", label, inode);
	if (info->peer)
		sb_printf(sb, "->%lu", info->peer);
	if (info->name_len > 0) {
		const char *name = info->name;
		size_t len = info->name_len;
		sb_putc(sb, ',');
		if (name[0] == '\0') {
			sb_putc(sb, '@');
			name++;
			len--;
		}
		escape_quoted(sb, name, strnlen(name, len), style, false);
	}
	sb_putc(sb, ']');
}

/* "TCP:[127.0.0.1:25]", with "->REMOTE" when the remote end is set;
 * IPv6 addresses in brackets. True when the socket is connected. */
static bool print_inet(struct strbuf *sb, const char *label,
		       const struct inet_diag_info *info)
{
	static const unsigned char zero[16];
	bool v6 = info->family == AF_INET6;
	char src[INET6_ADDRSTRLEN] = "?", dst[INET6_ADDRSTRLEN] = "?";
	inet_ntop(info->family, info->src, src, sizeof src);
	inet_ntop(info->family, info->dst, dst, sizeof dst);
	const char *ob = v6 ? "[" : "", *cb = v6 ? "]" : "";
	sb_printf(sb, "%s:[%s%s%s:%u", label, ob, src, cb, info->sport);
	bool connected = info->dport || memcmp(info->dst, zero, v6 ? 16 : 4) != 0;
	if (connected)
		sb_printf(sb, "->%s%s%s:%u", ob, dst, cb, info->dport);
	sb_putc(sb, ']');
	return connected;
}

/* In another network namespace: the tracee's /proc, TCP and UDP only. */
static bool inet_lookup_proc(pid_t tid, const struct sock_proto *p,
			     unsigned long inode, struct inet_diag_info *info)
{
	const char *file = NULL;
	if (p->protocol == IPPROTO_TCP)
		file = p->family == AF_INET6 ? "tcp6" : "tcp";
	else if (p->protocol == IPPROTO_UDP)
		file = p->family == AF_INET6 ? "udp6" : "udp";
	return file && sock_proc_inet(tid, file, p->family, inode, info);
}

#define TCP_LISTEN_STATE 10  /* include/net/tcp_states.h */

/* What one lookup found. */
struct found {
	bool ok;        /* details appended */
	bool final;     /* they cannot change while the socket lives */
	bool has_peer;  /* AF_UNIX: a peer is named */
};

static struct found lookup_unix(struct strbuf *sb, pid_t tid,
				const struct sock_proto *p, unsigned long inode,
				bool here, enum escape_style style)
{
	struct found f = { 0 };
	struct unix_diag_info info;
	if (here ? !unix_diag_lookup(tid, inode, &info) :
		   !sock_proc_unix(tid, inode, &info))
		return f;
	print_unix(sb, p->name, inode, &info, style);
	f.ok = true;
	f.has_peer = info.peer != 0;
	/* A listener keeps its name, a connected stream its peer (shown
	 * even after the peer closes); a datagram socket may reconnect. */
	f.final = here && ((f.has_peer && info.type != SOCK_DGRAM) ||
			   info.state == TCP_LISTEN_STATE);
	return f;
}

static struct found lookup_netlink(struct strbuf *sb, pid_t tid,
				   const struct sock_proto *p,
				   unsigned long inode)
{
	struct found f = { 0 };
	struct netlink_diag_info info;
	if (!netlink_diag_lookup(tid, inode, &info))
		return f;
	const char *proto = xlat_name(&xlat_netlink_proto, info.protocol);
	if (proto) {
		if (strncmp(proto, "NETLINK_", 8) == 0)
			proto += 8;
		sb_printf(sb, "%s:[%s:%u]", p->name, proto, info.portid);
	} else {
		sb_printf(sb, "%s:[%u]", p->name, info.protocol);
	}
	/* A listed netlink socket is bound: its port id stays. */
	f.ok = f.final = true;
	return f;
}

/* Append P's details of socket INODE; not ok when the kernel does not
 * list it under P. */
static struct found lookup(struct strbuf *sb, pid_t tid,
			   const struct sock_proto *p, unsigned long inode,
			   enum escape_style style)
{
	bool here = sock_diag_same_netns(tid);
	if (p->family == AF_UNIX)
		return lookup_unix(sb, tid, p, inode, here, style);
	if (p->family == AF_NETLINK)
		return lookup_netlink(sb, tid, p, inode);
	struct found f = { 0 };
	struct inet_diag_info info;
	if (here ? !inet_diag_lookup(tid, p->family, p->protocol, inode, &info) :
		   !inet_lookup_proc(tid, p, inode, &info))
		return f;
	f.ok = true;
	/* Connected or listening, its ends stay while it lives. */
	f.final = print_inet(sb, p->name, &info) ||
		  info.state == TCP_LISTEN_STATE;
	return f;
}

/* The descriptor's protocol's lookup, or, for a protocol strace does not
 * name, each it knows in turn, as strace does. */
static struct found lookup_any(struct strbuf *sb, pid_t tid,
			       const struct sock_proto *p, unsigned long inode,
			       enum escape_style style)
{
	if (p)
		return lookup(sb, tid, p, inode, style);
	struct found f = { 0 };
	for (size_t i = 0; i < SOCK_PROTO_COUNT && !f.ok; i++)
		f = lookup(sb, tid, &sock_protos[i], inode, style);
	return f;
}

bool fd_socket_details(struct strbuf *sb, pid_t tid, const char *link,
		       unsigned long inode, enum escape_style style)
{
	const struct sock_cache_entry *kept = sock_cache_get(inode);
	if (kept && kept->final) {
		sb_puts(sb, kept->details);
		return true;
	}
	const struct sock_proto *p = socket_proto(link);
	size_t mark = sb->len;
	struct found f = lookup_any(sb, tid, p, inode, style);
	/* A peer that closed first is still shown (strace keeps it). */
	bool lost_peer = f.ok && kept && kept->has_peer && !f.has_peer;
	if (f.ok && !lost_peer) {
		if (sock_diag_same_netns(tid))
			sock_cache_put(inode, sb->data + mark, sb->len - mark,
				       f.final, f.has_peer);
		return true;
	}
	sb->len = mark;
	sb->data[mark] = '\0';
	if (kept)
		sb_puts(sb, kept->details);
	else if (p)
		sb_printf(sb, "%s:[%lu]", p->name, inode);
	return kept || p;
}
