/* The kernel's view of one AF_UNIX socket, by inode, through unix_diag
 * (NETLINK_SOCK_DIAG): its bound name and its peer's inode, which
 * /proc/PID/net/unix does not show. */
#ifndef PTRC_UNIX_DIAG_H
#define PTRC_UNIX_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* sun_path is 108 bytes: a name never exceeds it. */
#define UNIX_DIAG_NAME_MAX 108

struct unix_diag_info {
	unsigned long peer;    /* 0: no peer (unconnected, listening) */
	unsigned type;         /* SOCK_STREAM...; 0 when not known */
	unsigned state;        /* TCP_LISTEN, TCP_ESTABLISHED...; 0: not known */
	size_t name_len;       /* 0: unbound */
	char name[UNIX_DIAG_NAME_MAX];  /* as the kernel gives it, cut to
					 * sun_path: a path may end in its
					 * NUL, an abstract name starts with
					 * a NUL byte */
};

/* Ask the kernel about socket INODE of thread TID. False when it cannot
 * say: no sock_diag for AF_UNIX (CONFIG_UNIX_DIAG), an unknown inode, a
 * socket with neither name nor peer (strace prints its inode alone), or a
 * TID in another network namespace than ptrc's (the request sees only the
 * sockets of the caller's namespace: see sock_proc.h). */
bool unix_diag_lookup(pid_t tid, unsigned long inode, struct unix_diag_info *info);

#endif
