/* -yy for a socket descriptor: "TCP:[127.0.0.1:25->127.0.0.1:40312]",
 * "UNIX-STREAM:[952532->952530,"x.socket"]", "NETLINK:[SOCK_DIAG:1119]",
 * as strace 6.1 prints them (its src/socketutils.c). */
#ifndef PTRC_FD_SOCKET_H
#define PTRC_FD_SOCKET_H

#include <stdbool.h>
#include <sys/types.h>

#include "ptrc/escape.h"
#include "ptrc/strbuf.h"

/* Append what the kernel says of socket INODE, whose descriptor is LINK
 * (/proc/TID/fd/N): the endpoints, or the protocol and the inode when the
 * kernel lists no endpoints; a UNIX name quoted in STYLE (-x). False, with nothing appended, for a protocol
 * strace 6.1 does not name: the caller prints the link's "socket:[N]". */
bool fd_socket_details(struct strbuf *sb, pid_t tid, const char *link,
		       unsigned long inode, enum escape_style style);

#endif
