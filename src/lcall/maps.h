/* The file-backed mappings of a process (maps.c), which modules.c groups
 * by file into modules. */
#ifndef PTRC_LCALL_MAPS_H
#define PTRC_LCALL_MAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One file-backed line of /proc/PID/maps. */
struct lcall_mapping {
	uint64_t start, end, offset;
	dev_t dev;
	ino_t ino;
	bool exec;
	char *path;
};

/* The file-backed mappings of PID (inode and an absolute path: not
 * anonymous memory, [vdso], [heap]...), sorted by file (dev, inode, path),
 * then address. Returns -1 with errno on failure. */
int lcall_maps_read(pid_t pid, struct lcall_mapping **out, size_t *count);
void lcall_maps_free(struct lcall_mapping *maps, size_t n);
/* Are X and Y mappings of the same file (dev, inode, path)? */
bool lcall_maps_same_file(const struct lcall_mapping *x,
			  const struct lcall_mapping *y);

#endif
