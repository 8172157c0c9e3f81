/* inet_diag lookups (see inet_diag.h), sent through sock_diag.c. */
#include "inet_diag.h"

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <string.h>
#include <sys/socket.h>

#include "sock_diag.h"

static bool parse_reply(const void *data, size_t len, unsigned long inode,
			void *out)
{
	struct inet_diag_info *info = out;
	const struct inet_diag_msg *msg = data;
	if (len < sizeof *msg || msg->idiag_inode != inode)
		return false;
	if (msg->idiag_family != AF_INET && msg->idiag_family != AF_INET6)
		return false;
	memset(info, 0, sizeof *info);
	info->family = msg->idiag_family;
	memcpy(info->src, msg->id.idiag_src, sizeof info->src);
	memcpy(info->dst, msg->id.idiag_dst, sizeof info->dst);
	info->sport = ntohs(msg->id.idiag_sport);
	info->dport = ntohs(msg->id.idiag_dport);
	info->state = msg->idiag_state;
	return true;
}

bool inet_diag_lookup(pid_t tid, int family, int protocol, unsigned long inode,
		      struct inet_diag_info *info)
{
	/* idiag_inode is 32-bit. */
	if (inode == 0 || inode > UINT32_MAX || !sock_diag_same_netns(tid))
		return false;
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	memset(&msg, 0, sizeof msg);
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = (uint8_t)protocol;
	msg.req.idiag_states = ~0U;
	return sock_diag_query(&msg, sizeof msg, inode, parse_reply, info);
}
