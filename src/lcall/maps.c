/* The file-backed mappings of a process, from /proc/PID/maps. The lines
 * come from the kernel but are parsed strictly: a line that does not
 * parse is skipped. */
#include "maps.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

/* A maps line longer than this (fields and a PATH_MAX path fit) is
 * skipped. */
#define MAPS_LINE_MAX (PATH_MAX + 256)

/* Hex number of 1 to 16 digits at *S; advances *S past it. */
static bool parse_hex(const char **s, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	for (const char *p = *s;; p++, n++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (n == 16)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0)
		return false;
	*s += n;
	*out = v;
	return true;
}

static bool parse_dec(const char **s, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;
	for (const char *p = *s; *p >= '0' && *p <= '9'; p++, n++) {
		uint64_t d = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (n == 0)
		return false;
	*s += n;
	*out = v;
	return true;
}

static bool expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

/* "START-END PERMS OFFSET MAJOR:MINOR INODE   PATH". Returns true with M
 * filled (path not copied: *PATH points into LINE) for a well-formed
 * line. */
static bool parse_maps_line(const char *s, struct lcall_mapping *m,
			    const char **path)
{
	uint64_t major, minor, ino;
	if (!parse_hex(&s, &m->start) || !expect(&s, '-') ||
	    !parse_hex(&s, &m->end) || !expect(&s, ' '))
		return false;
	if (strnlen(s, 5) < 5 || s[4] != ' ')
		return false;
	m->exec = s[2] == 'x';
	s += 5;
	if (!parse_hex(&s, &m->offset) || !expect(&s, ' ') ||
	    !parse_hex(&s, &major) || !expect(&s, ':') ||
	    !parse_hex(&s, &minor) || !expect(&s, ' ') ||
	    !parse_dec(&s, &ino))
		return false;
	if (major > UINT32_MAX || minor > UINT32_MAX || m->end <= m->start)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	m->dev = makedev((unsigned)major, (unsigned)minor);
	m->ino = (ino_t)ino;
	*path = s;
	return true;
}

/* Reads one line into BUF (newline removed). Returns false at the end of
 * the file; *WHOLE is false for a line too long for BUF (its rest is
 * consumed). */
static bool read_line(FILE *f, char *buf, size_t size, bool *whole)
{
	if (!fgets(buf, (int)size, f))
		return false;
	size_t len = strlen(buf);
	*whole = true;
	if (len > 0 && buf[len - 1] == '\n') {
		buf[len - 1] = '\0';
		return true;
	}
	if (feof(f))
		return true;
	*whole = false;
	char rest[256];
	while (fgets(rest, sizeof rest, f)) {
		size_t n = strlen(rest);
		if (n > 0 && rest[n - 1] == '\n')
			break;
	}
	return true;
}

void lcall_maps_free(struct lcall_mapping *maps, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(maps[i].path);
	free(maps);
}


/* Same file (dev, inode, path), then address order. */
static int mapping_order(const void *a, const void *b)
{
	const struct lcall_mapping *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	int c = strcmp(x->path, y->path);
	if (c != 0)
		return c;
	return (x->start > y->start) - (x->start < y->start);
}

bool lcall_maps_same_file(const struct lcall_mapping *x,
			  const struct lcall_mapping *y)
{
	return x->dev == y->dev && x->ino == y->ino &&
	       strcmp(x->path, y->path) == 0;
}

int lcall_maps_read(pid_t pid, struct lcall_mapping **out, size_t *count)
{
	char name[64];
	snprintf(name, sizeof name, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(name, "re");
	if (!f)
		return -1;
	char *line = malloc(MAPS_LINE_MAX);
	struct lcall_mapping *maps = NULL;
	size_t n = 0, cap = 0;
	bool whole;
	int err = line ? 0 : ENOMEM;
	while (!err && read_line(f, line, MAPS_LINE_MAX, &whole)) {
		struct lcall_mapping m;
		const char *path;
		if (!whole || !parse_maps_line(line, &m, &path) ||
		    m.ino == 0 || path[0] != '/')
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			struct lcall_mapping *nm = realloc(maps, ncap * sizeof *nm);
			if (!nm) {
				err = ENOMEM;
				break;
			}
			maps = nm;
			cap = ncap;
		}
		m.path = strdup(path);
		if (!m.path)
			err = ENOMEM;
		else
			maps[n++] = m;
	}
	if (!err && ferror(f))
		err = errno ? errno : EIO;
	fclose(f);
	free(line);
	if (err) {
		lcall_maps_free(maps, n);
		errno = err;
		return -1;
	}
	if (n > 1)
		qsort(maps, n, sizeof *maps, mapping_order);
	*out = maps;
	*count = n;
	return 0;
}
