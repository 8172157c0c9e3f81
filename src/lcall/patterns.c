/* -l patterns: parsing "FUNC_GLOB" / "MODULE_GLOB:FUNC_GLOB" lists and
 * matching them against a module's path and a function name. */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ptrc/lcall.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Parse one item [ITEM, ITEM + LEN) into PAT. The first ':' separates the
 * module glob (function names have no colon; fnmatch classes like
 * "[[:alpha:]]" in the function glob still work). */
static int parse_item(const char *item, size_t len, struct lcall_pattern *pat,
		      char *err, size_t errlen)
{
	while (len > 0 && is_blank(*item)) {
		item++;
		len--;
	}
	while (len > 0 && is_blank(item[len - 1]))
		len--;
	pat->exclude = len > 0 && *item == '!';
	if (pat->exclude) {
		item++;
		len--;
	}
	if (len == 0) {
		snprintf(err, errlen, "empty pattern in the -l list");
		return -1;
	}
	const char *colon = memchr(item, ':', len);
	pat->module_glob = NULL;
	pat->func_glob = NULL;
	if (colon) {
		size_t mlen = (size_t)(colon - item);
		size_t flen = len - mlen - 1;
		if (mlen == 0 || flen == 0) {
			snprintf(err, errlen, "pattern \"%.*s\": empty %s part",
				 (int)(len > 200 ? 200 : len), item,
				 mlen == 0 ? "module" : "function");
			return -1;
		}
		pat->module_glob = strndup(item, mlen);
		pat->func_glob = strndup(colon + 1, flen);
	} else {
		pat->func_glob = strndup(item, len);
	}
	if (!pat->func_glob || (colon && !pat->module_glob)) {
		free(pat->module_glob);
		free(pat->func_glob);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int lcall_patterns_parse(const char *spec, struct lcall_patterns *out,
			 char *err, size_t errlen)
{
	/* Items are appended one by one; on an error the ones this call
	 * added are dropped again, so OUT is as it was. */
	size_t first = out->count;
	const char *p = spec;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		struct lcall_pattern pat;
		if (parse_item(p, len, &pat, err, errlen) != 0)
			goto fail;
		struct lcall_pattern *items = realloc(out->items,
			(out->count + 1) * sizeof *items);
		if (!items) {
			free(pat.module_glob);
			free(pat.func_glob);
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		items[out->count++] = pat;
		out->items = items;
		if (!comma)
			return 0;
		p = comma + 1;
	}
fail:
	while (out->count > first) {
		out->count--;
		free(out->items[out->count].module_glob);
		free(out->items[out->count].func_glob);
	}
	return -1;
}

void lcall_patterns_free(struct lcall_patterns *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->items[i].module_glob);
		free(p->items[i].func_glob);
	}
	free(p->items);
	p->items = NULL;
	p->count = 0;
}

bool lcall_module_glob_matches(const char *glob, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	return fnmatch(glob, base, 0) == 0 || fnmatch(glob, path, 0) == 0;
}

static bool pattern_matches(const struct lcall_pattern *pat, const char *path,
			    const char *func)
{
	if (pat->module_glob && !lcall_module_glob_matches(pat->module_glob, path))
		return false;
	return fnmatch(pat->func_glob, func, 0) == 0;
}

bool lcall_patterns_match(const struct lcall_patterns *p, const char *path,
			  const char *func)
{
	if (!p)
		return false;
	bool selected = false;
	for (size_t i = 0; i < p->count; i++) {
		const struct lcall_pattern *pat = &p->items[i];
		if (pat->exclude && pattern_matches(pat, path, func))
			return false;
		if (!pat->exclude && !selected)
			selected = pattern_matches(pat, path, func);
	}
	return selected;
}

bool lcall_patterns_select_some(const struct lcall_patterns *p)
{
	for (size_t i = 0; i < p->count; i++)
		if (!p->items[i].exclude)
			return true;
	return false;
}
