/* The remote end of a tracee's TCP descriptor, asked of the kernel (the
 * decode layer's socket lookups: inet_diag, or /proc/TID/net in another
 * network namespace). For --peer, which follows sessions by their peer. */
#ifndef PTRC_SOCK_PEER_H
#define PTRC_SOCK_PEER_H

#include <stdint.h>
#include <sys/types.h>

enum sock_peer_kind {
	SOCK_PEER_GONE,       /* no such descriptor (closed, process gone) */
	SOCK_PEER_OTHER,      /* not a TCP socket, or a listening one: for good */
	SOCK_PEER_UNSET,      /* a TCP socket with no remote end yet: may connect */
	SOCK_PEER_REMOTE,     /* a TCP socket with a remote end: for good */
	SOCK_PEER_UNIX_STREAM, /* an AF_UNIX stream socket (no address here) */
};

struct sock_peer {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char addr[16];  /* the remote address, network order */
	uint16_t port;           /* the remote port, host order */
	uint16_t local_port;     /* the local port, host order */
	unsigned char local_addr[16];
};

/* What descriptor FD of TID is, and its remote end into *PEER when
 * SOCK_PEER_REMOTE. An IPv4-mapped IPv6 peer is given as AF_INET. */
enum sock_peer_kind decode_socket_peer(pid_t tid, int fd, struct sock_peer *peer);

#endif
