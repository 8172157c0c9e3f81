/* See sock_cache.h. A direct-mapped table by inode, as strace's: a
 * collision only costs a lookup. */
#include "sock_cache.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_SIZE 1024u

static struct sock_cache_entry cache[CACHE_SIZE];

const struct sock_cache_entry *sock_cache_get(unsigned long inode)
{
	const struct sock_cache_entry *e = &cache[inode % CACHE_SIZE];
	return e->details && e->inode == inode ? e : NULL;
}

void sock_cache_put(unsigned long inode, const char *details, size_t len,
		    bool final, bool has_peer)
{
	struct sock_cache_entry *e = &cache[inode % CACHE_SIZE];
	free(e->details);
	memset(e, 0, sizeof *e);
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, details, len);
	copy[len] = '\0';
	e->inode = inode;
	e->final = final;
	e->has_peer = has_peer;
	e->details = copy;
}
