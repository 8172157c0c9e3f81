/* See ptrc/out_name.h. */
#include "ptrc/out_name.h"

#include <stdio.h>
#include <string.h>

void out_sanitize_name(char *name)
{
	for (char *c = name; *c; c++) {
		unsigned char b = (unsigned char)*c;
		if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ||
		      (b >= '0' && b <= '9') || b == '.' || b == '_' ||
		      b == '+' || b == '-' || b == '@'))
			*c = '_';
	}
	if (name[0] == '.')
		name[0] = '_';
	if (!name[0])
		strcpy(name, "_");
}

bool out_name_has_placeholders(const char *tmpl)
{
	for (const char *p = strchr(tmpl, '%'); p; p = strchr(p + 2, '%')) {
		if (p[1] == 'p' || p[1] == 'n')
			return true;
		if (!p[1])
			return false;
	}
	return false;
}

int out_expand_name(const char *tmpl, pid_t pid, const char *name,
		    char *path, size_t size, char *bad)
{
	char safe[64];
	snprintf(safe, sizeof safe, "%s", name ? name : "");
	out_sanitize_name(safe);
	size_t n = 0;
	for (const char *p = tmpl; *p; p++) {
		char piece[24];
		const char *add = piece;
		if (*p != '%') {
			piece[0] = *p;
			piece[1] = '\0';
		} else if (p[1] == '%') {
			strcpy(piece, "%");
			p++;
		} else if (p[1] == 'p') {
			snprintf(piece, sizeof piece, "%d", (int)pid);
			p++;
		} else if (p[1] == 'n') {
			add = safe;
			p++;
		} else {
			*bad = p[1];
			return -2;
		}
		size_t len = strlen(add);
		if (n + len >= size)
			return -1;
		memcpy(path + n, add, len);
		n += len;
	}
	path[n] = '\0';
	return 0;
}
