/* -S KEY and -U COLUMNS: the -c table's columns by strace 6.1's names
 * and aliases (count.c's column_aliases). */
#include "summary_words.h"

#include <stdio.h>
#include <string.h>


static const struct {
	const char *name;
	enum summary_column column;
} aliases[] = {
	{ "time", SUMMARY_COL_PERCENT }, { "time_percent", SUMMARY_COL_PERCENT },
	{ "time-percent", SUMMARY_COL_PERCENT },
	{ "time_total", SUMMARY_COL_TOTAL }, { "time-total", SUMMARY_COL_TOTAL },
	{ "total_time", SUMMARY_COL_TOTAL }, { "total-time", SUMMARY_COL_TOTAL },
	{ "min_time", SUMMARY_COL_MIN }, { "min-time", SUMMARY_COL_MIN },
	{ "shortest", SUMMARY_COL_MIN }, { "time_min", SUMMARY_COL_MIN },
	{ "time-min", SUMMARY_COL_MIN },
	{ "longest", SUMMARY_COL_MAX }, { "max_time", SUMMARY_COL_MAX },
	{ "max-time", SUMMARY_COL_MAX }, { "time_max", SUMMARY_COL_MAX },
	{ "time-max", SUMMARY_COL_MAX },
	{ "avg_time", SUMMARY_COL_AVG }, { "avg-time", SUMMARY_COL_AVG },
	{ "time_avg", SUMMARY_COL_AVG }, { "time-avg", SUMMARY_COL_AVG },
	{ "calls", SUMMARY_COL_CALLS }, { "count", SUMMARY_COL_CALLS },
	{ "error", SUMMARY_COL_ERRORS }, { "errors", SUMMARY_COL_ERRORS },
	{ "name", SUMMARY_COL_NAME }, { "syscall", SUMMARY_COL_NAME },
	{ "syscall_name", SUMMARY_COL_NAME }, { "syscall-name", SUMMARY_COL_NAME },
	{ "none", SUMMARY_COL_NONE }, { "nothing", SUMMARY_COL_NONE },
};

/* The column WORD (LEN bytes) names, or -1. */
static int column_of(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strlen(aliases[i].name) == len &&
		    !strncmp(aliases[i].name, word, len))
			return (int)aliases[i].column;
	return -1;
}

int parse_summary_sort(const char *key, struct ptrc_config *config)
{
	int column = column_of(key, strlen(key));
	if (column < 0) {
		fprintf(stderr, "ptrc: invalid sortby: '%s' (see ptrc --help)\n",
			key);
		return -1;
	}
	config->summary_sort = (enum summary_column)column;
	return 0;
}

int parse_summary_columns(const char *list, struct ptrc_config *config)
{
	enum summary_column *columns = config->summary_columns;
	bool seen[SUMMARY_COL_COUNT] = { false };
	unsigned n = 0;
	for (const char *word = list;; ) {
		const char *comma = strchr(word, ',');
		size_t len = comma ? (size_t)(comma - word) : strlen(word);
		int column = column_of(word, len);
		if (column <= 0) {  /* none/nothing is no column either */
			fprintf(stderr, "ptrc: unknown column name: '%.*s' (see "
				"ptrc --help)\n", (int)len, word);
			return -1;
		}
		if (seen[column]) {
			fprintf(stderr, "ptrc: call summary column has been "
				"provided more than once: '%.*s'\n", (int)len, word);
			return -1;
		}
		seen[column] = true;
		columns[n++] = (enum summary_column)column;
		if (!comma)
			break;
		word = comma + 1;
	}
	if (!seen[SUMMARY_COL_NAME])  /* a table without names means nothing */
		columns[n++] = SUMMARY_COL_NAME;
	while (n < SUMMARY_COL_COUNT)
		columns[n++] = SUMMARY_COL_NONE;
	return 0;
}
