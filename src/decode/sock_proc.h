/* -yy for a tracee in another network namespace than ptrc's, where
 * sock_diag cannot see its sockets: what /proc/TID/net/{tcp,tcp6,udp,udp6,
 * unix} show of them (no UNIX peers). strace 6.1 prints only the protocol
 * and inode there; ptrc prints what the tracee's own /proc shows. */
#ifndef PTRC_SOCK_PROC_H
#define PTRC_SOCK_PROC_H

#include <stdbool.h>
#include <sys/types.h>

#include "inet_diag.h"
#include "unix_diag.h"

/* Socket INODE in /proc/TID/net/FILE ("tcp", "udp6"...), FAMILY
 * AF_INET or AF_INET6, as inet_diag_lookup would give it. */
bool sock_proc_inet(pid_t tid, const char *file, int family,
		    unsigned long inode, struct inet_diag_info *info);

/* Socket INODE in /proc/TID/net/unix: the name, no peer. */
bool sock_proc_unix(pid_t tid, unsigned long inode, struct unix_diag_info *info);

#endif
