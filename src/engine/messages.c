/* What the engine tells the user: notes to the mode, warnings on stderr. */
#include "engine_internal.h"
#include "messages.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void engine_warn(const char *fmt, ...)
{
	/* One fprintf, as one write: the text may be long (a C++ name). */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	char *text = n >= (int)sizeof small ? malloc((size_t)n + 1) : NULL;
	if (text) {
		va_start(ap, fmt);
		vsnprintf(text, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	fprintf(stderr, "ptrc: %s\n", text ? text : small);
	free(text);
}

void engine_note(struct engine *e, struct tracee *t, const char *fmt, ...)
{
	if (!e->ops->note)
		return;
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	e->ops->note(e->mode, t, text);
}
