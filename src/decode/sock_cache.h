/* What -yy last printed for a socket, by inode, as strace 6.1 keeps it
 * (its src/socketutils.c): a socket whose peer has closed still prints
 * with its peer, one that is gone from the kernel's tables with its last
 * endpoints. Socket inodes are not reused while ptrc runs (the kernel
 * counts them up), so an entry never speaks of another socket; a
 * descriptor reused for a new socket names a new inode. */
#ifndef PTRC_SOCK_CACHE_H
#define PTRC_SOCK_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct sock_cache_entry {
	unsigned long inode;
	/* Final: the facts cannot change while the socket lives (connected
	 * or listening INET, bound netlink): used without asking again. */
	bool final;
	bool has_peer;  /* AF_UNIX: the details name a peer */
	char *details;  /* "TCP:[...]", NUL-terminated */
};

/* The entry of INODE, or NULL. */
const struct sock_cache_entry *sock_cache_get(unsigned long inode);

/* Remember DETAILS (LEN bytes) for INODE, replacing what was kept there
 * (for INODE or another inode of the same slot). Out of memory: kept
 * nothing. */
void sock_cache_put(unsigned long inode, const char *details, size_t len,
		    bool final, bool has_peer);

#endif
