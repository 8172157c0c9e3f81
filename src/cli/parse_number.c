/* Numbers on the command line: options' values and PIDs. */
#include "parse_number.h"

#include <errno.h>
#include <stdlib.h>

bool parse_decimal(const char *text, unsigned long max, unsigned long *out)
{
	char *end;
	errno = 0;
	if (!*text || *text == '-')
		return false;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}
