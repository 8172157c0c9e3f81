/* The kernel's view of one AF_INET/AF_INET6 socket, by inode, through
 * inet_diag (NETLINK_SOCK_DIAG): its local and remote ends. */
#ifndef PTRC_INET_DIAG_H
#define PTRC_INET_DIAG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct inet_diag_info {
	int family;             /* AF_INET or AF_INET6 */
	unsigned char src[16];  /* network order; AF_INET uses 4 bytes */
	unsigned char dst[16];
	uint16_t sport, dport;  /* host order */
	unsigned state;         /* TCP_LISTEN, TCP_ESTABLISHED... */
};

/* Look for socket INODE among the FAMILY sockets of PROTOCOL (IPPROTO_TCP,
 * IPPROTO_UDP...), by a dump of them all as strace 6.1 does. False when
 * the kernel does not list it (an unbound or closed socket, a protocol
 * without inet_diag, a tracee in another network namespace). */
bool inet_diag_lookup(pid_t tid, int family, int protocol, unsigned long inode,
		      struct inet_diag_info *info);

#endif
