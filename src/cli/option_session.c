/* --transcript DIR: checked now (an existing directory), kept absolute
 * (--background's ptrc works from "/"). */
#include "option_session.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "usage.h"

enum parse_result opt_transcript(struct option_parse *p, const char *arg)
{
	struct stat st;
	if (stat(arg, &st) < 0 || !S_ISDIR(st.st_mode))
		return usage_error("--transcript: '%s' is not a directory", arg);
	char *dir = realpath(arg, NULL);
	if (!dir)
		return usage_error("--transcript: cannot resolve '%s'", arg);
	free(p->config->transcript_dir);
	p->config->transcript_dir = dir;
	return PARSE_OK;
}
