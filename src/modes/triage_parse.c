/* One crash report, JSON or text, into a struct triage_report. The
 * fields and their layout are crash_report.c's; anything else (sections
 * that other versions add) is ignored. */
#include "triage_report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ptrc/json_read.h"

void triage_report_free(struct triage_report *r)
{
	free(r->time_text);
	free(r->comm);
	free(r->exe);
	free(r->build_id);
	free(r->disk_build_id);
	free(r->producer);
	free(r->signal);
	free(r->signature);
	const char *file = r->file;
	unsigned long line = r->line;
	*r = (struct triage_report){ .file = file, .line = line };
}

/* Keep the first value of a field a report gives twice. */
static void set_field(char **dst, char *value)
{
	if (!*dst)
		*dst = value;
	else
		free(value);
}

static bool parse_hex64(const char *s, uint64_t *v)
{
	if (!s || strncmp(s, "0x", 2) != 0 || !s[2] || strlen(s) > 18)
		return false;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s + 2, &end, 16);
	if (errno || *end || s[2] == '-' || s[2] == '+' || s[2] == ' ')
		return false;
	*v = x;
	return true;
}

/* "SEC.USEC" (the JSON "time") into microseconds. */
static bool parse_epoch(const char *s, int64_t *us)
{
	char *end;
	errno = 0;
	long long sec = strtoll(s, &end, 10);
	if (errno || end == s || sec < 0 || sec > 1ll << 40)
		return false;
	long long frac = 0;
	int digits = 0;
	if (*end == '.')
		for (end++; *end >= '0' && *end <= '9'; end++)
			if (digits < 6) {
				frac = frac * 10 + (*end - '0');
				digits++;
			}
	if (*end)
		return false;
	while (digits++ < 6)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return true;
}

bool triage_parse_time(const char *text, int64_t *us)
{
	int y, mo, d, h, mi, s, n = 0;
	long usec;
	char sign;
	unsigned zone;
	if (!text || sscanf(text, "%4d-%2d-%2d %2d:%2d:%2d.%6ld %c%4u%n", &y, &mo,
			    &d, &h, &mi, &s, &usec, &sign, &zone, &n) != 9 ||
	    text[n] || (sign != '+' && sign != '-') || usec < 0 ||
	    y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || s > 60 || zone / 100 > 23 || zone % 100 > 59 ||
	    strspn(strchr(text, '.') + 1, "0123456789") != 6)
		return false;  /* crash_report.c writes microseconds: 6 digits */
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
			 .tm_hour = h, .tm_min = mi, .tm_sec = s };
	int64_t offset = (int64_t)(zone / 100 * 3600 + zone % 100 * 60);
	int64_t sec = (int64_t)timegm(&tm) - (sign == '+' ? offset : -offset);
	*us = sec * 1000000 + usec;
	return true;
}

/* ---- JSON ---- */

/* A string member's value, else NULL (null, another type, too long). */
static char *take_string(struct json_reader *jr)
{
	char buf[TRIAGE_MAX_FIELD];
	if (json_read_peek(jr) != JSON_STRING) {
		json_read_skip(jr);
		return NULL;
	}
	return json_read_string(jr, buf, sizeof buf) ? strdup(buf) : NULL;
}

static char *take_number(struct json_reader *jr)
{
	char buf[64];
	if (json_read_peek(jr) != JSON_NUMBER) {
		json_read_skip(jr);
		return NULL;
	}
	return json_read_number(jr, buf, sizeof buf) ? strdup(buf) : NULL;
}

/* "signal":{"name":...,"address":"0x..."} */
static void take_signal(struct json_reader *jr, struct triage_report *r)
{
	char key[32];
	if (json_read_peek(jr) != JSON_OBJECT) {
		json_read_skip(jr);
		return;
	}
	json_read_object_begin(jr);
	while (json_read_key(jr, key, sizeof key)) {
		if (!strcmp(key, "name")) {
			set_field(&r->signal, take_string(jr));
		} else if (!strcmp(key, "address")) {
			char *a = take_string(jr);
			r->has_address = parse_hex64(a, &r->address);
			free(a);
		} else {
			json_read_skip(jr);
		}
	}
}

static void take_numbers(struct triage_report *r, const char *key, char *num)
{
	char *end;
	if (num && !strcmp(key, "time")) {
		r->has_time = parse_epoch(num, &r->time_us);
	} else if (num && !strcmp(key, "pid")) {
		errno = 0;
		long pid = strtol(num, &end, 10);
		if (!errno && !*end && pid > 0 && pid <= 0x7fffffff)
			r->pid = pid;
	}
	free(num);
}

/* One member of the report object; false: not a crash report. */
static bool take_member(struct json_reader *jr, const char *key,
			struct triage_report *r)
{
	static const struct { const char *key; size_t offset; } strings[] = {
		{ "time_text", offsetof(struct triage_report, time_text) },
		{ "comm", offsetof(struct triage_report, comm) },
		{ "executable", offsetof(struct triage_report, exe) },
		{ "build_id", offsetof(struct triage_report, build_id) },
		{ "disk_build_id", offsetof(struct triage_report, disk_build_id) },
		{ "producer", offsetof(struct triage_report, producer) },
		{ "signature", offsetof(struct triage_report, signature) },
	};
	for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
		if (!strcmp(key, strings[i].key)) {
			set_field((char **)((char *)r + strings[i].offset),
				  take_string(jr));
			return true;
		}
	if (!strcmp(key, "type")) {
		char *type = take_string(jr);
		bool crash = type && !strcmp(type, "crash");
		free(type);
		return crash;
	}
	if (!strcmp(key, "signal"))
		take_signal(jr, r);
	else if (!strcmp(key, "time") || !strcmp(key, "pid"))
		take_numbers(r, key, take_number(jr));
	else
		json_read_skip(jr);
	return true;
}

const char *triage_parse_json(const char *text, size_t len,
			      struct triage_report *r)
{
	struct json_reader jr;
	char key[64];
	json_read_init(&jr, text, len);
	if (!json_read_object_begin(&jr)) {
		triage_report_free(r);
		return "not a JSON object";
	}
	while (json_read_key(&jr, key, sizeof key))
		if (!take_member(&jr, key, r)) {
			triage_report_free(r);
			return "a JSON object of another type than \"crash\"";
		}
	if (jr.error) {
		triage_report_free(r);
		return "broken JSON (cut short, or not JSON)";
	}
	return triage_check(r);
}

/* ---- text ---- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* A text report's value, its \xNN escapes (escape.c's escape_bare)
 * undone; NULL when it holds a NUL or is too long. */
static char *unescape(const char *s, size_t len)
{
	if (len >= TRIAGE_MAX_FIELD)
		return NULL;
	char *out = malloc(len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int hi = -1, lo = -1;
		if (s[i] == '\\' && len - i >= 4 && s[i + 1] == 'x')
			hi = hex_value(s[i + 2]);
		if (hi >= 0)
			lo = hex_value(s[i + 3]);
		if (s[i] == '\\' && lo >= 0 && (hi || lo)) {
			*o++ = (char)(hi * 16 + lo);
			i += 3;
		} else if (s[i] == '\\' || !s[i]) {
			free(out);  /* a lone backslash, or a NUL */
			return NULL;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* V, or NULL when it is NONE (the report's word for "not known"). */
static char *unless(char *v, const char *none)
{
	if (v && !strcmp(v, none)) {
		free(v);
		return NULL;
	}
	return v;
}

/* "VALUE (TAG X)" -> VALUE, and X into *TAIL: the last " (TAG " of S. */
static char *split_tail(const char *s, const char *tag, char **tail)
{
	size_t len = strlen(s);
	const char *at = NULL;
	for (const char *p = strstr(s, tag); p; p = strstr(p + 1, tag))
		at = p;
	if (!at || len == 0 || s[len - 1] != ')') {
		*tail = NULL;
		return unescape(s, len);
	}
	const char *x = at + strlen(tag);
	*tail = unescape(x, (size_t)(s + len - 1 - x));
	return unescape(s, (size_t)(at - s));
}

/* "123 (smtpd), crashed thread 124" */
static void text_pid(struct triage_report *r, const char *v)
{
	char *end;
	errno = 0;
	long pid = strtol(v, &end, 10);
	if (errno || end == v || pid <= 0 || pid > 0x7fffffff ||
	    strncmp(end, " (", 2) != 0)
		return;
	r->pid = pid;
	const char *close = NULL;
	for (const char *p = strstr(end, "), crashed thread "); p;
	     p = strstr(p + 1, "), crashed thread "))
		close = p;
	if (close)
		set_field(&r->comm, unescape(end + 2, (size_t)(close - end - 2)));
}

static void text_field(struct triage_report *r, const char *key, const char *v)
{
	char *tail = NULL;
	if (!strcmp(key, "Time")) {
		set_field(&r->time_text, unescape(v, strlen(v)));
		r->has_time = triage_parse_time(r->time_text, &r->time_us);
	} else if (!strcmp(key, "PID")) {
		text_pid(r, v);
	} else if (!strcmp(key, "Executable")) {
		char *exe = split_tail(v, " (build-id ", &tail);
		set_field(&r->exe, unless(exe, "?"));
		set_field(&r->build_id, unless(tail, "none"));
	} else if (!strcmp(key, "Compiler")) {
		set_field(&r->producer, split_tail(v, " (", &tail));
		free(tail);  /* the compilation unit */
	} else if (!strcmp(key, "Signal")) {
		set_field(&r->signal, unescape(v, strcspn(v, " ")));
	} else if (!strcmp(key, "Address")) {
		char *a = unescape(v, strcspn(v, " "));
		r->has_address = parse_hex64(a, &r->address);
		free(a);
	} else if (!strcmp(key, "Signature")) {
		set_field(&r->signature, unescape(v, strlen(v)));
	} else if (!strcmp(key, "Warning")) {
		/* crash_report.c's warning of a replaced executable */
		static const char disk[] = "the executable on disk (build-id ";
		if (!strncmp(v, disk, sizeof disk - 1))
			set_field(&r->disk_build_id, unescape(v + sizeof disk - 1,
				  strcspn(v + sizeof disk - 1, ")")));
	}
}

void triage_parse_text_line(struct triage_report *r, const char *line)
{
	line += strspn(line, " ");
	size_t klen = strcspn(line, ":");
	if (klen == 0 || klen > 16 || line[klen] != ':' || line[klen + 1] != ' ')
		return;
	char key[17];
	memcpy(key, line, klen);
	key[klen] = '\0';
	text_field(r, key, line + klen + 2);
}

static bool all_hex(const char *s, size_t len)
{
	return s && strlen(s) == len && strspn(s, "0123456789abcdef") == len;
}

const char *triage_check(struct triage_report *r)
{
	const char *why = NULL;
	if (!all_hex(r->signature, 16))
		why = "no signature (16 hex digits)";
	else if (!r->signal || strncmp(r->signal, "SIG", 3) != 0)
		why = "no signal name";
	if (why) {
		triage_report_free(r);
		return why;
	}
	if (r->build_id && !all_hex(r->build_id, strlen(r->build_id))) {
		free(r->build_id);
		r->build_id = NULL;
	}
	if (r->disk_build_id && !all_hex(r->disk_build_id,
					 strlen(r->disk_build_id))) {
		free(r->disk_build_id);
		r->disk_build_id = NULL;
	}
	size_t len = r->exe ? strlen(r->exe) : 0;
	r->replaced = (len > 10 && !strcmp(r->exe + len - 10, " (deleted)")) ||
		(r->build_id && r->disk_build_id &&
		 strcmp(r->build_id, r->disk_build_id) != 0);
	return NULL;
}
