/* --transcript DIR: checked now (an existing directory), kept absolute
 * (--background's ptrc works from "/"). --pcap FILE: refused when ptrc
 * has no libpcap; the file is created when tracing starts. */
#include "option_session.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ptrc/pcap_stream.h"
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

enum parse_result opt_pcap(struct option_parse *p, const char *arg)
{
	if (!pcap_stream_available())
		return usage_not_implemented("%s (ptrc was built without "
					     "libpcap)", "--pcap");
	if (!*arg)
		return usage_error("%s", "--pcap needs a FILE");
	/* its directory now: the file itself is made when tracing starts */
	char *dir = strdup(arg);
	if (!dir)
		return usage_error("%s", "out of memory");
	char *slash = strrchr(dir, '/');
	const char *where = !slash ? "." : slash == dir ? "/" : dir;
	if (slash && slash != dir)
		*slash = '\0';
	int ok = access(where, W_OK | X_OK);
	free(dir);
	if (ok < 0)
		return usage_error("--pcap: cannot write into the directory "
				   "of '%s'", arg);
	p->config->pcap_path = arg;
	return PARSE_OK;
}
