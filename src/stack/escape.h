/* Escaping of tracee-controlled strings for the stack printers. */
#ifndef PTRC_STACK_ESCAPE_H
#define PTRC_STACK_ESCAPE_H

#include <stdio.h>

/* Printable ASCII as is; backslash and every other byte as \\, \n, \t or
 * \xHH, so no name can move the cursor or pose as another line. */
void escape_text(FILE *f, const char *s);

/* A quoted JSON string, or null for NULL. Valid UTF-8 passes through
 * (controls escaped); each byte of an invalid sequence becomes \u00HH. */
void escape_json(FILE *f, const char *s);

#endif
