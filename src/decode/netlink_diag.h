/* The kernel's view of one AF_NETLINK socket, by inode, through
 * netlink_diag (NETLINK_SOCK_DIAG): its protocol and port id. */
#ifndef PTRC_NETLINK_DIAG_H
#define PTRC_NETLINK_DIAG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct netlink_diag_info {
	unsigned protocol;  /* NETLINK_ROUTE... */
	uint32_t portid;
};

/* Look for socket INODE among all netlink sockets (a dump, as strace 6.1
 * does). False when the kernel does not list it. */
bool netlink_diag_lookup(pid_t tid, unsigned long inode,
			 struct netlink_diag_info *info);

#endif
