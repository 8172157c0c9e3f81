/* The transport of -yy's socket lookups: one NETLINK_SOCK_DIAG request,
 * its replies read to the end and handed one by one to a parser. The
 * family clients (unix_diag.c, inet_diag.c, netlink_diag.c) build the
 * requests and read the messages. */
#ifndef PTRC_SOCK_DIAG_H
#define PTRC_SOCK_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* One SOCK_DIAG_BY_FAMILY message of the reply: DATA is its payload (after
 * the nlmsghdr), LEN bytes the kernel sent (checked against the family's
 * struct by the parser). True when it is the socket looked for, whose
 * facts the parser then kept in OUT. */
typedef bool (*sock_diag_parse_fn)(const void *data, size_t len,
				   unsigned long inode, void *out);

/* Send REQ (a struct nlmsghdr followed by the family's request, LEN bytes
 * in all; its nlmsg_seq is set here) and read every reply. True when
 * PARSE accepted one. False as well when the kernel cannot say: no
 * sock_diag for the family, an unknown inode, a reply cut short. */
bool sock_diag_query(void *req, size_t len, unsigned long inode,
		     sock_diag_parse_fn parse, void *out);

/* Is TID in ptrc's network namespace? A request sees only the sockets of
 * ptrc's own; a tracee elsewhere is left to /proc/TID/net. */
bool sock_diag_same_netns(pid_t tid);

#endif
