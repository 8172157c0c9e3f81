/* -c's tables (src/modes/summary.c) on fabricated calls: one table per
 * personality as strace 6.1's countv[], the host's first, the i386 one
 * after "System call usage summary for 32 bit mode:", each ordered by its
 * own architecture's syscall numbers (-S nothing; the same time for
 * all). */
#include "check.h"
#include "modes/summary.h"
#include "ptrc/syscalls.h"

static int sig_of(const char *name)
{
	for (unsigned i = 0; i < syscall_sig_count; i++)
		if (!strcmp(syscall_sigs[i].name, name))
			return (int)i;
	return -1;
}

static const char *table(const struct ptrc_config *config,
			 const enum ptrc_arch *archs, const char *const *names,
			 unsigned n, bool json)
{
	static struct strbuf sb;
	struct summary *s = summary_new(config);
	for (unsigned i = 0; i < n; i++)
		summary_add(s, archs[i], sig_of(names[i]), names[i], i == 0, 0);
	sb_reset(&sb);
	if (json)
		summary_print_json(s, &sb);
	else
		summary_print_text(s, &sb);
	summary_free(s);
	return sb.data;
}

int main(void)
{
	if (arch_host() != PTRC_ARCH_X86_64) {
		printf("summary: the personalities are x86_64's (skipped)\n");
		return 0;
	}
	struct ptrc_config config;
	memset(&config, 0, sizeof config);
	config.summary_sort = SUMMARY_COL_NONE;
	config.summary_columns[0] = SUMMARY_COL_CALLS;
	config.summary_columns[1] = SUMMARY_COL_ERRORS;
	config.summary_columns[2] = SUMMARY_COL_NAME;
	config.summary_columns[3] = SUMMARY_COL_NONE;
	/* x86_64: brk 12 < getpid 39; i386: getpid 20 < brk 45 */
	static const enum ptrc_arch archs[] = {
		PTRC_ARCH_X86_64, PTRC_ARCH_I386, PTRC_ARCH_I386,
		PTRC_ARCH_X86_64, PTRC_ARCH_I386, PTRC_ARCH_X86_64,
	};
	static const char *const names[] = {
		"getpid", "brk", "getpid", "brk", "getpid", "getpid",
	};
	CHECK_STR(table(&config, archs, names, 6, false),
		  "    calls    errors syscall\n"
		  "--------- --------- ----------------\n"
		  "        1           brk\n"
		  "        2         1 getpid\n"
		  "--------- --------- ----------------\n"
		  "        3         1 total\n"
		  "System call usage summary for 32 bit mode:\n"
		  "    calls    errors syscall\n"
		  "--------- --------- ----------------\n"
		  "        2           getpid\n"
		  "        1           brk\n"
		  "--------- --------- ----------------\n"
		  "        3           total\n");
	/* only i386 calls: its table alone, still headed */
	CHECK_STR(table(&config, archs + 1, names + 1, 2, false),
		  "System call usage summary for 32 bit mode:\n"
		  "    calls    errors syscall\n"
		  "--------- --------- ----------------\n"
		  "        1           getpid\n"
		  "        1         1 brk\n"
		  "--------- --------- ----------------\n"
		  "        2         1 total\n");
	CHECK_STR(table(&config, archs + 1, names + 1, 1, true),
		  "{\"type\":\"summary\",\"personality\":\"32 bit\",\"syscalls\":"
		  "[{\"syscall\":\"brk\",\"calls\":1,\"errors\":1,\"seconds\":0.000000}],"
		  "\"total\":{\"calls\":1,\"errors\":1,\"seconds\":0.000000},"
		  "\"time\":\"system\"}\n");
	return check_result("summary");
}
