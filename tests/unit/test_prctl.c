/* prctl and arch_prctl lines as strace 6.1 prints them (flags_prctl*.c,
 * flags_arch_prctl.c), in the three -X styles: what each option prints of
 * its arguments, what the kernel stores (read from this process, from a
 * page whose end is unmapped too), and the notes on returned values. The
 * lines are built for x86_64 and i386 tracees whatever the host is. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "decode_line.h"

/* The line in the -X STYLE. */
static const char *line_x(enum ptrc_arch arch, enum xlat_style style,
			  const char *name, const uint64_t args[6],
			  int64_t rval)
{
	config.xlat_style = style;
	return line_arch(arch, name, args, rval);
}

#define X64 PTRC_ARCH_X86_64
#define RAW XLAT_STYLE_RAW
#define ABBREV XLAT_STYLE_ABBREV
#define VERBOSE XLAT_STYLE_VERBOSE
#define HI 0xdeadbeef00000000ull

static void test_returns(void)
{
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(27, 0, 0, 0, 0), 0x11),
		  "prctl(PR_GET_SECUREBITS) = 0x11 (SECBIT_NOROOT|SECBIT_KEEP_CAPS)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(27, 0, 0, 0, 0), 0x10101),
		  "prctl(PR_GET_SECUREBITS) = 0x10101 (SECBIT_NOROOT|0x10100)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(27, 0, 0, 0, 0), 0x10000),
		  "prctl(PR_GET_SECUREBITS) = 0x10000");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(27, 0, 0, 0, 0), 0),
		  "prctl(PR_GET_SECUREBITS) = 0");
	CHECK_STR(line_x(X64, RAW, "prctl", ARGS(27, 0, 0, 0, 0), 0x11),
		  "prctl(0x1b) = 0x11");
	CHECK_STR(line_x(X64, VERBOSE, "prctl", ARGS(27, 0, 0, 0, 0), 0x11),
		  "prctl(0x1b /* PR_GET_SECUREBITS */) = 0x11 "
		  "(SECBIT_NOROOT|SECBIT_KEEP_CAPS)");
	/* a named plain value keeps its name even with -X raw */
	CHECK_STR(line_x(X64, RAW, "prctl", ARGS(3, 0, 0, 0, 0), 2),
		  "prctl(0x3) = 2 (SUID_DUMP_ROOT)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(3, 0, 0, 0, 0), 9),
		  "prctl(PR_GET_DUMPABLE) = 9");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(51, 1, 2, 3, 4), 0x20040),
		  "prctl(PR_SVE_GET_VL) = 0x20040 (PR_SVE_VL_INHERIT|0x40)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(64, 0, 0, 0, 0), 0x40),
		  "prctl(PR_SME_GET_VL) = 0x40");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(56, 0, 0, 0, 0), 0),
		  "prctl(PR_GET_TAGGED_ADDR_CTRL, 0, 0, 0, 0) = 0 "
		  "(!PR_TAGGED_ADDR_ENABLE|PR_MTE_TCF_NONE)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(61, 0, 0, 0, 0), 0x13),
		  "prctl(PR_PAC_GET_ENABLED_KEYS, 0, 0, 0, 0) = 0x13 "
		  "(PR_PAC_APIAKEY|PR_PAC_APIBKEY|0x10)");
	CHECK_STR(line_x(X64, ABBREV, "arch_prctl", ARGS(0x1023, 18), 0x60003),
		  "arch_prctl(ARCH_REQ_XCOMP_PERM, 0x12 /* XFEATURE_XTILE_DATA */)"
		  " = 0x60003 (XFEATURE_MASK_FPSSE|XFEATURE_MASK_XTILE)");
}

static void test_arguments(void)
{
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(50, 0x60010, 1, 2, 3), -22),
		  "prctl(PR_SVE_SET_VL, PR_SVE_SET_VL_ONEXEC|PR_SVE_VL_INHERIT"
		  "|0x10) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, VERBOSE, "prctl", ARGS(50, 0x100020, 0, 0, 0), -22),
		  "prctl(0x32 /* PR_SVE_SET_VL */, 0x100020 /* 0x100000|0x20 */)"
		  " = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, VERBOSE, "prctl", ARGS(63, 0x20, 0, 0, 0), -22),
		  "prctl(0x3f /* PR_SME_SET_VL */, 0x20) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, ABBREV, "prctl",
			 ARGS(55, 1 | 2 | (0xfffeull << 3) | 0x80000 | HI, 0, 0, 0), -22),
		  "prctl(PR_SET_TAGGED_ADDR_CTRL, PR_TAGGED_ADDR_ENABLE|"
		  "PR_MTE_TCF_SYNC|0xfffe<<PR_MTE_TAG_SHIFT|0xdeadbeef00080000, "
		  "0, 0, 0) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(0x59616d61, HI | 0xffffffff, 0, 0, 0), 0),
		  "prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY) = 0");
	CHECK_STR(line_x(X64, VERBOSE, "prctl", ARGS(0x59616d61, 0xffffffff, 0, 0, 0), 0),
		  "prctl(0x59616d61 /* PR_SET_PTRACER */, -1 /* PR_SET_PTRACER_ANY */) = 0");
	CHECK_STR(line_x(X64, RAW, "prctl", ARGS(0x59616d61, 0xfffffffe, 0, 0, 0), 0),
		  "prctl(0x59616d61, -2) = 0");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(1, 129, 0, 0, 0), -22),
		  "prctl(PR_SET_PDEATHSIG, 129) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(33, 1, 7, 1, 0), -22),
		  "prctl(PR_MCE_KILL, PR_MCE_KILL_SET, 0x7 /* PR_MCE_KILL_??? */,"
		  " 0x1, 0) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(22, HI | 2, 1, 2, 3), -22),
		  "prctl(PR_SET_SECCOMP, 0xdeadbeef00000002 /* SECCOMP_MODE_??? */,"
		  " 0x1, 0x2, 0x3) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(62, 9, 0xffffffff, 7, 0), -22),
		  "prctl(PR_SCHED_CORE, 0x9 /* PR_SCHED_CORE_??? */, -1, "
		  "0x7 /* PIDTYPE_??? */, NULL) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(62, 2, 5, 1, 0), -3),
		  "prctl(PR_SCHED_CORE, PR_SCHED_CORE_SHARE_TO, 5, "
		  "0x1 /* PIDTYPE_TGID */, NULL) = -1 ESRCH (No such process)");
	/* i386: the word is 32 bits */
	CHECK_STR(line_x(PTRC_ARCH_I386, ABBREV, "prctl", ARGS(29, 0xffffffff, 0, 0, 0), 0),
		  "prctl(PR_SET_TIMERSLACK, 4294967295) = 0");
	CHECK_STR(line_x(X64, ABBREV, "prctl", ARGS(29, ~0ull, 0, 0, 0), 0),
		  "prctl(PR_SET_TIMERSLACK, -1) = 0");
}

/* What the kernel stores, read from this process. */
static void test_stored(void)
{
	char *end = guard_page_end();
	CHECK(end != NULL);
	if (!end)
		return;
	char want[128];

	memcpy(end - 4, &(uint32_t){ 2 }, 4);
	CHECK_STR(line_x(X64, ABBREV, "prctl",
			 ARGS(25, (uint64_t)(uintptr_t)(end - 4), 0, 0, 0), 0),
		  "prctl(PR_GET_TSC, [PR_TSC_SIGSEGV]) = 0");
	CHECK_STR(line_x(X64, RAW, "prctl",
			 ARGS(5, (uint64_t)(uintptr_t)(end - 4), 0, 0, 0), 0),
		  "prctl(0x5, [0x2]) = 0");
	snprintf(want, sizeof want, "prctl(PR_GET_TSC, %p) = 0", (void *)(end - 2));
	CHECK_STR(line_x(X64, ABBREV, "prctl",
			 ARGS(25, (uint64_t)(uintptr_t)(end - 2), 0, 0, 0), 0), want);
	snprintf(want, sizeof want,
		 "prctl(PR_GET_CHILD_SUBREAPER, %p) = -1 EFAULT (Bad address)",
		 (void *)(end - 4));
	CHECK_STR(line_x(X64, ABBREV, "prctl",
			 ARGS(37, (uint64_t)(uintptr_t)(end - 4), 0, 0, 0), -14), want);

	memcpy(end - 8, &(uint64_t){ 0x60003 }, 8);
	CHECK_STR(line_x(X64, ABBREV, "arch_prctl",
			 ARGS(0x1022, (uint64_t)(uintptr_t)(end - 8)), 0),
		  "arch_prctl(ARCH_GET_XCOMP_PERM, [0x60003 /* "
		  "XFEATURE_MASK_FPSSE|XFEATURE_MASK_XTILE */]) = 0");
	CHECK_STR(line_x(X64, RAW, "arch_prctl",
			 ARGS(0x1022, (uint64_t)(uintptr_t)(end - 8)), 0),
		  "arch_prctl(0x1022, [0x60003]) = 0");
	CHECK_STR(line_x(X64, ABBREV, "prctl",
			 ARGS(62, 0, 0, 0, (uint64_t)(uintptr_t)(end - 8)), 0),
		  "prctl(PR_SCHED_CORE, PR_SCHED_CORE_GET, 0, "
		  "0 /* PIDTYPE_PID */, [0x60003]) = 0");
	memcpy(end - 16, &(uint16_t){ 3 }, 2);
	memcpy(end - 8, &(uint64_t){ 0 }, 8);
	CHECK_STR(line_x(X64, ABBREV, "prctl",
			 ARGS(22, 2, (uint64_t)(uintptr_t)(end - 16), 0, 0), -22),
		  "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=3, "
		  "filter=NULL}) = -1 EINVAL (Invalid argument)");
	snprintf(want, sizeof want, "arch_prctl(ARCH_GET_FS, %p) = 0",
		 (void *)(end - 4));
	CHECK_STR(line_x(X64, ABBREV, "arch_prctl",
			 ARGS(0x1003, (uint64_t)(uintptr_t)(end - 4)), 0), want);
	CHECK_STR(line_x(X64, ABBREV, "arch_prctl", ARGS(0x1003, 0), -14),
		  "arch_prctl(ARCH_GET_FS, NULL) = -1 EFAULT (Bad address)");
}

int main(void)
{
	sb_init(&out);
	config.string_limit = 32;
	decoder_init(&decoder, &config);
	test_returns();
	test_arguments();
	test_stored();
	decoder_free(&decoder);
	sb_free(&out);
	return check_result("prctl");
}
