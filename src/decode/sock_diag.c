/* NETLINK_SOCK_DIAG requests for -yy (see sock_diag.h).
 *
 * One netlink socket, opened on first use and kept while it behaves; any
 * reply cut short or out of step closes it, so that what is left of one
 * request's replies can never be read as another's. The kernel answers
 * inside send; the receive timeout only bounds the wait if that ever
 * changes. Replies are the kernel's, but about sockets a tracee set up:
 * every length is checked before use. */
#include "sock_diag.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define RECV_TIMEOUT_US (100 * 1000)
/* A dump of every TCP socket of a busy host fits in far fewer datagrams;
 * past this the reply is not trusted. */
#define MAX_DATAGRAMS 65536

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

/* Forget the socket and whatever is queued on it. */
static void diag_reset(void)
{
	if (diag_fd >= 0)
		close(diag_fd);
	diag_fd = -1;
}

bool sock_diag_same_netns(pid_t tid)
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

struct reply_scan {
	uint32_t seq;
	unsigned long inode;
	sock_diag_parse_fn parse;
	void *out;
	bool found;
};

/* One datagram: 1 when the reply ended in it, 0 when more follow, -1 when
 * it is malformed. (NLMSG_OK and NLMSG_NEXT spelled out with sizes: the
 * macros mix signed and unsigned.) */
static int scan_datagram(const void *buf, size_t size, struct reply_scan *s)
{
	size_t off = 0;
	while (size - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh =
			(const void *)((const char *)buf + off);
		if (nlh->nlmsg_len < sizeof *nlh || nlh->nlmsg_len > size - off)
			return -1;
		if (nlh->nlmsg_seq == s->seq) {
			/* NLMSG_ERROR: ENOENT for an exact request that found
			 * nothing, or a family without sock_diag. */
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR)
				return 1;
			if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY && !s->found)
				s->found = s->parse(NLMSG_DATA(nlh),
						    nlh->nlmsg_len - NLMSG_HDRLEN,
						    s->inode, s->out);
			if (!(nlh->nlmsg_flags & NLM_F_MULTI))
				return 1;  /* the one reply of an exact request */
		}
		size_t step = NLMSG_ALIGN(nlh->nlmsg_len);
		if (step >= size - off)
			break;
		off += step;
	}
	return 0;
}

/* Read to the reply's end, even after the socket is found: the next
 * request must start on an empty queue. */
static bool receive_replies(int fd, struct reply_scan *s)
{
	/* Aligned for struct nlmsghdr. */
	static long buf[32768 / sizeof(long)];
	for (int i = 0; i < MAX_DATAGRAMS; i++) {
		ssize_t n = recv(fd, buf, sizeof buf, MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (size_t)n > sizeof buf)
			return false;  /* timeout, or cut short */
		int r = scan_datagram(buf, (size_t)n, s);
		if (r < 0)
			return false;
		if (r > 0)
			return true;
	}
	return false;
}

bool sock_diag_query(void *req, size_t len, unsigned long inode,
		     sock_diag_parse_fn parse, void *out)
{
	int fd = diag_socket();
	if (fd < 0)
		return false;
	struct nlmsghdr *nlh = req;
	struct reply_scan s = {
		.seq = ++diag_seq, .inode = inode, .parse = parse, .out = out,
	};
	nlh->nlmsg_seq = s.seq;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;
	do {
		n = sendto(fd, req, len, 0, (struct sockaddr *)&kernel,
			   sizeof kernel);
	} while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len || !receive_replies(fd, &s)) {
		diag_reset();
		return false;
	}
	return s.found;
}
