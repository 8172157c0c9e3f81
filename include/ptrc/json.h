/* JSON string output that stays valid whatever bytes it is given. */
#ifndef PTRC_JSON_H
#define PTRC_JSON_H

#include <stddef.h>
#include "ptrc/strbuf.h"

/* Append BYTES as a JSON string with its quotes. Control bytes, '"', '\\'
 * and every byte >= 0x80 are escaped (\u00XX): the result is ASCII. */
void json_string(struct strbuf *sb, const char *bytes, size_t len);

#endif
