/* Id names from /etc/passwd and /etc/group (crash_ctx_names.h). */
#include "crash_ctx_names.h"

#include <stdlib.h>
#include <string.h>

#include "crash_ctx_read.h"

/* Files larger than this are read this far. */
#define NAMES_FILE_MAX (1024 * 1024)

/* "name:x:ID:..." -> NAME (NUL-terminated in place) and ID. */
static bool parse_line(char *line, char **name, unsigned long *id)
{
	char *c1 = strchr(line, ':');
	char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	if (!c1 || !c2 || c1 == line || c2[1] < '0' || c2[1] > '9')
		return false;
	char *end;
	*id = strtoul(c2 + 1, &end, 10);
	if (*end != ':' && *end != '\0')
		return false;
	*c1 = '\0';
	*name = line;
	return true;
}

void ctx_name_ids(const char *file, struct ctx_id *const *ids, size_t n)
{
	size_t len;
	int cut;
	char *text = ctx_read_file(file, NAMES_FILE_MAX, &len, &cut);
	if (!text)
		return;
	char *line = text;
	while (line < text + len) {
		char *nl = memchr(line, '\n', (size_t)(text + len - line));
		if (!nl && cut)
			break;  /* a line cut by the bound */
		if (nl)
			*nl = '\0';
		char *name;
		unsigned long id;
		if (strlen(line) == (size_t)((nl ? nl : text + len) - line) &&
		    parse_line(line, &name, &id)) {
			for (size_t i = 0; i < n; i++)
				if (ids[i]->id == id && !ids[i]->name)
					ids[i]->name = strdup(name);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	free(text);
}
