/* netlink_diag lookups (see netlink_diag.h), sent through sock_diag.c. */
#include "netlink_diag.h"

#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/sock_diag.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_diag.h"

static bool parse_reply(const void *data, size_t len, unsigned long inode,
			void *out)
{
	struct netlink_diag_info *info = out;
	const struct netlink_diag_msg *msg = data;
	if (len < sizeof *msg || msg->ndiag_ino != inode ||
	    msg->ndiag_family != AF_NETLINK)
		return false;
	info->protocol = msg->ndiag_protocol;
	info->portid = msg->ndiag_portid;
	return true;
}

bool netlink_diag_lookup(pid_t tid, unsigned long inode,
			 struct netlink_diag_info *info)
{
	if (inode == 0 || inode > UINT32_MAX || !sock_diag_same_netns(tid))
		return false;
	struct {
		struct nlmsghdr nlh;
		struct netlink_diag_req req;
	} msg;
	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.req.sdiag_family = AF_NETLINK;
	msg.req.sdiag_protocol = NDIAG_PROTO_ALL;
	return sock_diag_query(&msg, sizeof msg, inode, parse_reply, info);
}
