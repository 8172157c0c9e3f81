/* unix_diag lookups of AF_UNIX sockets (see unix_diag.h), sent through
 * sock_diag.c: an exact request by inode, as strace 6.1 sends it. */
#include "unix_diag.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_diag.h"

/* Fill INFO from the attributes of one unix_diag_msg reply. A socket with
 * neither a name nor a peer is not taken: strace prints its bare inode. */
static bool parse_reply(const void *data, size_t len, unsigned long inode,
			void *out)
{
	struct unix_diag_info *info = out;
	if (len < NLMSG_ALIGN(sizeof(struct unix_diag_msg)))
		return false;
	const struct unix_diag_msg *msg = data;
	if (msg->udiag_family != AF_UNIX || msg->udiag_ino != inode)
		return false;
	memset(info, 0, sizeof *info);
	info->type = msg->udiag_type;
	info->state = msg->udiag_state;
	const struct rtattr *rta = (const struct rtattr *)
		((const char *)msg + NLMSG_ALIGN(sizeof *msg));
	int rem = (int)(len - NLMSG_ALIGN(sizeof *msg));
	bool named = false;
	for (; RTA_OK(rta, rem); rta = RTA_NEXT(rta, rem)) {
		size_t n = RTA_PAYLOAD(rta);
		if (rta->rta_type == UNIX_DIAG_NAME && !named) {
			/* The first name only, cut to sun_path's size. */
			if (n > sizeof info->name)
				n = sizeof info->name;
			memcpy(info->name, RTA_DATA(rta), n);
			info->name_len = n;
			named = true;
		} else if (rta->rta_type == UNIX_DIAG_PEER && n >= sizeof(uint32_t)) {
			uint32_t peer;
			memcpy(&peer, RTA_DATA(rta), sizeof peer);
			info->peer = peer;
		}
	}
	return info->peer != 0 || info->name_len != 0;
}

bool unix_diag_lookup(pid_t tid, unsigned long inode, struct unix_diag_info *info)
{
	/* Socket inodes are 32-bit; udiag_ino could not name another. */
	if (inode == 0 || inode > UINT32_MAX || !sock_diag_same_netns(tid))
		return false;
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg;
	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST;
	msg.req.sdiag_family = AF_UNIX;
	msg.req.udiag_states = ~0U;
	msg.req.udiag_ino = (uint32_t)inode;
	msg.req.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
	/* "No cookie": find the socket by inode alone. */
	msg.req.udiag_cookie[0] = ~0U;
	msg.req.udiag_cookie[1] = ~0U;
	return sock_diag_query(&msg, sizeof msg, inode, parse_reply, info);
}
