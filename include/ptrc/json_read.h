/* A small pull reader of JSON text (src/util/json_read.c), for documents
 * ptrc wrote earlier and reads back (ptrc triage) -- which may since have
 * been damaged or forged, so it is hostile input: every read is bounded
 * by the text's length, nesting by JSON_READ_MAX_DEPTH, strings are
 * decoded into the caller's fixed buffer, and any error sticks (every
 * later call fails) instead of reading on.
 *
 * Use: json_read_init; json_read_object_begin, then json_read_key until it
 * returns false (the closing brace, or an error), reading or skipping
 * each value; the same with json_read_array_begin and
 * json_read_array_next. Strings decode ptrc's \u00XX back to the byte XX
 * (json.h's policy); other \uXXXX to UTF-8. */
#ifndef PTRC_JSON_READ_H
#define PTRC_JSON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_READ_MAX_DEPTH 64

enum json_type {
	JSON_NONE,  /* the end of the text, or something that is no value */
	JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT,
};

struct json_reader {
	const char *p, *end;
	bool error;
	unsigned depth;
	/* bit N: the container at depth N has had a member (a comma is
	 * due before the next one) */
	uint64_t had_member;
};

void json_read_init(struct json_reader *r, const char *text, size_t len);
/* The type of the next value (after blanks), without consuming it. */
enum json_type json_read_peek(struct json_reader *r);
bool json_read_object_begin(struct json_reader *r);
/* The next member's key into KEY (SIZE bytes, NUL-terminated, a longer
 * key cut), positioned at its value; false at the closing brace (then
 * consumed) or on an error. */
bool json_read_key(struct json_reader *r, char *key, size_t size);
bool json_read_array_begin(struct json_reader *r);
/* True when another element follows (positioned at it); false at the
 * closing bracket (consumed) or on an error. */
bool json_read_array_next(struct json_reader *r);
/* A string value decoded into OUT (SIZE bytes, NUL-terminated). Returns
 * false on an error, or when the string does not fit or holds a NUL byte
 * (the value is consumed: the reader stays usable). */
bool json_read_string(struct json_reader *r, char *out, size_t size);
/* A number's text as written (e.g. "1765152468.123456") into OUT. */
bool json_read_number(struct json_reader *r, char *out, size_t size);
/* Any value, nested ones included. */
bool json_read_skip(struct json_reader *r);
/* Where the reader is, to tell where a document ended. */
const char *json_read_pos(const struct json_reader *r);

#endif
