/* NETLINK_SOCK_DIAG lookups of AF_UNIX sockets (see unix_diag.h).
 *
 * One netlink socket, opened on first use and kept for the life of ptrc.
 * The kernel answers a sock_diag request synchronously, inside send; the
 * receive timeout only bounds the wait if that ever changes. Replies are
 * the kernel's, but about sockets a tracee set up: every length is checked
 * before use. */
#include "unix_diag.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define RECV_TIMEOUT_US (100 * 1000)
/* Replies left over from timed-out requests are skipped; give up after
 * this many datagrams that are not ours. */
#define MAX_RECVS 4

static int diag_fd = -1;
static bool diag_unavailable;
static uint32_t diag_seq;

/* The netlink socket, or -1 when the kernel has no sock_diag. */
static int diag_socket(void)
{
	if (diag_fd >= 0 || diag_unavailable)
		return diag_fd;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0) {
		diag_unavailable = true;
		return -1;
	}
	struct timeval tv = { .tv_sec = 0, .tv_usec = RECV_TIMEOUT_US };
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv) < 0) {
		close(fd);
		diag_unavailable = true;
		return -1;
	}
	diag_fd = fd;
	return fd;
}

/* The request sees only sockets of ptrc's own network namespace: a tracee
 * in another one is left to /proc/TID/net/unix, which shows the tracee's. */
static bool same_netns(pid_t tid)
{
	static struct stat self;
	static bool have_self;
	char path[64];
	struct stat st;
	if (!have_self) {
		if (stat("/proc/self/ns/net", &self) < 0)
			return false;
		have_self = true;
	}
	snprintf(path, sizeof path, "/proc/%d/ns/net", tid);
	if (stat(path, &st) < 0)
		return false;
	return st.st_dev == self.st_dev && st.st_ino == self.st_ino;
}

static bool send_request(int fd, uint32_t inode, uint32_t seq)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg;
	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST;
	msg.nlh.nlmsg_seq = seq;
	msg.req.sdiag_family = AF_UNIX;
	msg.req.udiag_states = ~0U;
	msg.req.udiag_ino = inode;
	msg.req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
	/* "No cookie": find the socket by inode alone. */
	msg.req.udiag_cookie[0] = ~0U;
	msg.req.udiag_cookie[1] = ~0U;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;
	do {
		n = sendto(fd, &msg, sizeof msg, 0, (struct sockaddr *)&kernel,
			   sizeof kernel);
	} while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof msg;
}

/* Fill INFO from the attributes of one unix_diag_msg reply. */
static bool parse_reply(const struct nlmsghdr *nlh, uint32_t inode,
			struct unix_diag_info *info)
{
	if (nlh->nlmsg_len < NLMSG_SPACE(sizeof(struct unix_diag_msg)))
		return false;
	const struct unix_diag_msg *msg = NLMSG_DATA(nlh);
	if (msg->udiag_family != AF_UNIX || msg->udiag_ino != inode)
		return false;
	memset(info, 0, sizeof *info);
	const struct rtattr *rta = (const struct rtattr *)
		((const char *)msg + NLMSG_ALIGN(sizeof *msg));
	int rem = (int)(nlh->nlmsg_len - NLMSG_SPACE(sizeof *msg));
	for (; RTA_OK(rta, rem); rta = RTA_NEXT(rta, rem)) {
		size_t len = RTA_PAYLOAD(rta);
		if (rta->rta_type == UNIX_DIAG_NAME) {
			if (len > sizeof info->name)
				return false;
			memcpy(info->name, RTA_DATA(rta), len);
			/* A path's length counts its NUL; an abstract name
			 * (leading NUL) is all its bytes. */
			if (len > 0 && info->name[0] != '\0')
				len = strnlen(info->name, len);
			info->name_len = len;
		} else if (rta->rta_type == UNIX_DIAG_PEER) {
			uint32_t peer;
			if (len < sizeof peer)
				return false;
			memcpy(&peer, RTA_DATA(rta), sizeof peer);
			info->peer = peer;
		}
	}
	return true;
}

/* 1: INFO filled; 0: the kernel said no; -1: nothing of ours in this
 * datagram. */
static int scan_datagram(const void *buf, size_t size, uint32_t seq,
			 uint32_t inode, struct unix_diag_info *info)
{
	/* NLMSG_OK and NLMSG_NEXT, spelled out with sizes (the macros mix
	 * signed and unsigned). */
	size_t off = 0;
	while (size - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh =
			(const void *)((const char *)buf + off);
		if (nlh->nlmsg_len < sizeof *nlh || nlh->nlmsg_len > size - off)
			break;
		if (nlh->nlmsg_seq == seq) {
			if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY)
				return parse_reply(nlh, inode, info) ? 1 : 0;
			return 0;  /* NLMSG_ERROR (ENOENT: no such socket) */
		}
		size_t step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= size - off)
			break;
		off += step;
	}
	return -1;
}

static bool receive_reply(int fd, uint32_t seq, uint32_t inode,
			  struct unix_diag_info *info)
{
	/* Aligned for struct nlmsghdr; a reply is well under 1 KiB. */
	long buf[8192 / sizeof(long)];
	for (int i = 0; i < MAX_RECVS; i++) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return false;  /* timeout included */
		if ((size_t)n > sizeof buf)
			continue;  /* truncated: not trusted, maybe not ours */
		int r = scan_datagram(buf, (size_t)n, seq, inode, info);
		if (r >= 0)
			return r == 1;
	}
	return false;
}

bool unix_diag_lookup(pid_t tid, unsigned long inode, struct unix_diag_info *info)
{
	/* Socket inodes are 32-bit; udiag_ino could not name another. */
	if (inode == 0 || inode > UINT32_MAX || !same_netns(tid))
		return false;
	int fd = diag_socket();
	if (fd < 0)
		return false;
	uint32_t seq = ++diag_seq;
	if (!send_request(fd, (uint32_t)inode, seq))
		return false;
	return receive_reply(fd, seq, (uint32_t)inode, info);
}
