/* The stack layer's messages (see message.h). */
#include <stdarg.h>
#include <stdio.h>

#include "message.h"

char *stack_strdupf(const char *fmt, ...)
{
	char *out;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&out, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : out;
}
