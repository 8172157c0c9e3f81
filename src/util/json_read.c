/* See ptrc/json_read.h. A pull reader: no tree, no allocation; the
 * caller walks the document and says what it expects. */
#include "ptrc/json_read.h"

#include <string.h>

static bool fail(struct json_reader *r)
{
	r->error = true;
	return false;
}

static void skip_blanks(struct json_reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/* Consume C (after blanks) or fail. */
static bool expect(struct json_reader *r, char c)
{
	skip_blanks(r);
	if (r->error || r->p >= r->end || *r->p != c)
		return fail(r);
	r->p++;
	return true;
}

/* Consume the literal WORD (null, true, false). */
static bool literal(struct json_reader *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return fail(r);
	r->p += n;
	return true;
}

void json_read_init(struct json_reader *r, const char *text, size_t len)
{
	*r = (struct json_reader){ .p = text, .end = text + len };
}

const char *json_read_pos(const struct json_reader *r)
{
	return r->p;
}

enum json_type json_read_peek(struct json_reader *r)
{
	skip_blanks(r);
	if (r->error || r->p >= r->end)
		return JSON_NONE;
	switch (*r->p) {
	case 'n': return JSON_NULL;
	case 't': case 'f': return JSON_BOOL;
	case '"': return JSON_STRING;
	case '[': return JSON_ARRAY;
	case '{': return JSON_OBJECT;
	case '-': return JSON_NUMBER;
	}
	return *r->p >= '0' && *r->p <= '9' ? JSON_NUMBER : JSON_NONE;
}

static bool open_container(struct json_reader *r, char c)
{
	if (!expect(r, c))
		return false;
	if (r->depth >= JSON_READ_MAX_DEPTH)
		return fail(r);
	r->had_member &= ~(1ull << r->depth);
	r->depth++;
	return true;
}

/* At a member or element: the closing CLOSE (consumed: false), or the
 * comma due after an earlier one. */
static bool next_member(struct json_reader *r, char close)
{
	skip_blanks(r);
	if (r->error || r->depth == 0 || r->p >= r->end)
		return fail(r);
	uint64_t bit = 1ull << (r->depth - 1);
	if (*r->p == close) {
		r->p++;
		r->depth--;
		return false;
	}
	if ((r->had_member & bit) && !expect(r, ','))
		return false;
	r->had_member |= bit;
	return true;
}

bool json_read_object_begin(struct json_reader *r)
{
	return open_container(r, '{');
}

bool json_read_array_begin(struct json_reader *r)
{
	return open_container(r, '[');
}

bool json_read_array_next(struct json_reader *r)
{
	return next_member(r, ']');
}

bool json_read_key(struct json_reader *r, char *key, size_t size)
{
	if (!next_member(r, '}'))
		return false;
	if (json_read_peek(r) != JSON_STRING)
		return fail(r);
	/* a key too long for KEY is cut: it matches no name the caller
	 * knows, and its value is skipped */
	if (!json_read_string(r, key, size) && r->error)
		return false;
	return expect(r, ':');
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The 4 hex digits of a \u escape at P (bounded by END), or -1. */
static long hex4(const char *p, const char *end)
{
	if (end - p < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Append the code point CP: a byte up to 0xff (ptrc's \u00XX), else its
 * UTF-8 (a lone surrogate as '?'). Returns the bytes written, or 0 when
 * they do not fit. */
static size_t put_code_point(char *out, size_t room, long cp)
{
	unsigned char b[3];
	size_t n;
	if (cp <= 0xff) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp >= 0xd800 && cp <= 0xdfff) {
		b[0] = '?';
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	if (n > room)
		return 0;
	memcpy(out, b, n);
	return n;
}

/* One character of a string body at r->p (the escape decoded) into
 * OUT+*LEN; FITS goes false when it does not fit or is a NUL. */
static bool string_char(struct json_reader *r, char *out, size_t size,
			size_t *len, bool *fits)
{
	long cp = (unsigned char)*r->p++;
	if (cp < 0x20)
		return fail(r);  /* a raw control character */
	if (cp == '\\') {
		if (r->p >= r->end)
			return fail(r);
		char e = *r->p++;
		const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
		const char *at = strchr(from, e);
		if (e == 'u') {
			cp = hex4(r->p, r->end);
			if (cp < 0)
				return fail(r);
			r->p += 4;
		} else if (e && at) {
			cp = (unsigned char)to[at - from];
		} else {
			return fail(r);
		}
	}
	size_t n = 0;
	if (cp == 0 || !*fits ||
	    !(n = put_code_point(out + *len, size - 1 - *len, cp)))
		*fits = false;
	*len += n;
	return true;
}

bool json_read_string(struct json_reader *r, char *out, size_t size)
{
	if (!size || !expect(r, '"'))
		return fail(r);
	size_t len = 0;
	bool fits = true;
	while (r->p < r->end && *r->p != '"')
		if (!string_char(r, out, size, &len, &fits))
			return false;
	out[len] = '\0';
	if (r->p >= r->end)
		return fail(r);
	r->p++;
	return fits;
}

bool json_read_number(struct json_reader *r, char *out, size_t size)
{
	if (json_read_peek(r) != JSON_NUMBER || !size)
		return fail(r);
	const char *start = r->p;
	if (*r->p == '-')
		r->p++;
	size_t digits = 0;
	while (r->p < r->end && strchr("0123456789.eE+-", *r->p)) {
		digits += (*r->p >= '0' && *r->p <= '9');
		r->p++;
	}
	size_t n = (size_t)(r->p - start);
	if (!digits || n >= size) {
		if (!digits)
			return fail(r);
		out[0] = '\0';
		return false;
	}
	memcpy(out, start, n);
	out[n] = '\0';
	return true;
}

static bool skip_string(struct json_reader *r)
{
	char none[1];
	size_t len = 0;
	bool fits = false;
	if (!expect(r, '"'))
		return false;
	while (r->p < r->end && *r->p != '"')
		if (!string_char(r, none, 1, &len, &fits))
			return false;
	return expect(r, '"');
}

bool json_read_skip(struct json_reader *r)
{
	char scratch[64];
	switch (json_read_peek(r)) {
	case JSON_NULL:
		return literal(r, "null");
	case JSON_BOOL:
		return *r->p == 't' ? literal(r, "true") : literal(r, "false");
	case JSON_NUMBER:
		return json_read_number(r, scratch, sizeof scratch) || !r->error;
	case JSON_STRING:
		return skip_string(r);
	case JSON_ARRAY:
		if (!json_read_array_begin(r))
			return false;
		while (json_read_array_next(r))
			if (!json_read_skip(r))
				return false;
		return !r->error;
	case JSON_OBJECT:
		if (!json_read_object_begin(r))
			return false;
		while (json_read_key(r, scratch, sizeof scratch))
			if (!json_read_skip(r))
				return false;
		return !r->error;
	case JSON_NONE:
		break;
	}
	return fail(r);
}
