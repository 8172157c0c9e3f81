/* siginfo_t as strace prints it: {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} */
#include "ptrc/decode.h"

#include <stddef.h>

#include "ptrc/names.h"
#include "structs.h"

struct code_name {
	int code;
	const char *name;
};

/* si_code values every signal may carry (<= 0: sent by a process). */
static const struct code_name generic_codes[] = {
	{ SI_USER, "SI_USER" }, { SI_KERNEL, "SI_KERNEL" },
	{ SI_QUEUE, "SI_QUEUE" }, { SI_TIMER, "SI_TIMER" },
	{ SI_MESGQ, "SI_MESGQ" }, { SI_ASYNCIO, "SI_ASYNCIO" },
	{ SI_SIGIO, "SI_SIGIO" }, { SI_TKILL, "SI_TKILL" },
	{ -7 /* SI_DETHREAD */, "SI_DETHREAD" }, { -8, "SI_ASYNCNL" },
};

static const struct code_name ill_codes[] = {
	{ 1, "ILL_ILLOPC" }, { 2, "ILL_ILLOPN" }, { 3, "ILL_ILLADR" },
	{ 4, "ILL_ILLTRP" }, { 5, "ILL_PRVOPC" }, { 6, "ILL_PRVREG" },
	{ 7, "ILL_COPROC" }, { 8, "ILL_BADSTK" }, { 9, "ILL_BADIADDR" },
};
static const struct code_name fpe_codes[] = {
	{ 1, "FPE_INTDIV" }, { 2, "FPE_INTOVF" }, { 3, "FPE_FLTDIV" },
	{ 4, "FPE_FLTOVF" }, { 5, "FPE_FLTUND" }, { 6, "FPE_FLTRES" },
	{ 7, "FPE_FLTINV" }, { 8, "FPE_FLTSUB" }, { 14, "FPE_FLTUNK" },
	{ 15, "FPE_CONDTRAP" },
};
static const struct code_name segv_codes[] = {
	{ 1, "SEGV_MAPERR" }, { 2, "SEGV_ACCERR" }, { 3, "SEGV_BNDERR" },
	{ 4, "SEGV_PKUERR" }, { 5, "SEGV_ACCADI" }, { 6, "SEGV_ADIDERR" },
	{ 7, "SEGV_ADIPERR" }, { 8, "SEGV_MTEAERR" }, { 9, "SEGV_MTESERR" },
	{ 10, "SEGV_CPERR" },
};
static const struct code_name bus_codes[] = {
	{ 1, "BUS_ADRALN" }, { 2, "BUS_ADRERR" }, { 3, "BUS_OBJERR" },
	{ 4, "BUS_MCEERR_AR" }, { 5, "BUS_MCEERR_AO" },
};
static const struct code_name trap_codes[] = {
	{ 1, "TRAP_BRKPT" }, { 2, "TRAP_TRACE" }, { 3, "TRAP_BRANCH" },
	{ 4, "TRAP_HWBKPT" }, { 5, "TRAP_UNK" }, { 6, "TRAP_PERF" },
};
static const struct code_name chld_codes[] = {
	{ CLD_EXITED, "CLD_EXITED" }, { CLD_KILLED, "CLD_KILLED" },
	{ CLD_DUMPED, "CLD_DUMPED" }, { CLD_TRAPPED, "CLD_TRAPPED" },
	{ CLD_STOPPED, "CLD_STOPPED" }, { CLD_CONTINUED, "CLD_CONTINUED" },
};
static const struct code_name poll_codes[] = {
	{ 1, "POLL_IN" }, { 2, "POLL_OUT" }, { 3, "POLL_MSG" },
	{ 4, "POLL_ERR" }, { 5, "POLL_PRI" }, { 6, "POLL_HUP" },
};
static const struct code_name sys_codes[] = {
	{ 1, "SYS_SECCOMP" }, { 2, "SYS_USER_DISPATCH" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *find_code(const struct code_name *table, size_t n, int code)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].code == code)
			return table[i].name;
	return NULL;
}

static const char *code_name(int signo, int code)
{
	if (code <= 0)
		return find_code(generic_codes, COUNT(generic_codes), code);
	switch (signo) {
	case SIGILL:  return find_code(ill_codes, COUNT(ill_codes), code);
	case SIGFPE:  return find_code(fpe_codes, COUNT(fpe_codes), code);
	case SIGSEGV: return find_code(segv_codes, COUNT(segv_codes), code);
	case SIGBUS:  return find_code(bus_codes, COUNT(bus_codes), code);
	case SIGTRAP: return find_code(trap_codes, COUNT(trap_codes), code);
	case SIGCHLD: return find_code(chld_codes, COUNT(chld_codes), code);
	case SIGPOLL: return find_code(poll_codes, COUNT(poll_codes), code);
	case SIGSYS:  return find_code(sys_codes, COUNT(sys_codes), code);
	}
	return code == SI_KERNEL ? "SI_KERNEL" : NULL;
}

void decode_signal_name(struct strbuf *sb, int sig)
{
	char buf[16];
	sb_puts(sb, signal_name_buf(sig, buf));
}

static void print_addr(struct strbuf *sb, const void *addr)
{
	if (addr)
		sb_printf(sb, "%p", addr);
	else
		sb_puts(sb, "NULL");
}

static void print_value(struct strbuf *sb, const siginfo_t *si)
{
	sb_printf(sb, ", si_value={int=%d, ptr=", si->si_value.sival_int);
	print_addr(sb, si->si_value.sival_ptr);
	sb_putc(sb, '}');
}

void decode_siginfo(struct strbuf *sb, const siginfo_t *si)
{
	sb_puts(sb, "{si_signo=");
	decode_signal_name(sb, si->si_signo);
	sb_puts(sb, ", si_code=");
	const char *code = code_name(si->si_signo, si->si_code);
	if (code)
		sb_puts(sb, code);
	else
		sb_printf(sb, "%d", si->si_code);
	if (si->si_errno)
		sb_printf(sb, ", si_errno=%d", si->si_errno);

	if (si->si_code <= 0) {
		switch (si->si_code) {
		case SI_USER:
		case SI_TKILL:
			sb_printf(sb, ", si_pid=%d, si_uid=%u", si->si_pid,
				  (unsigned)si->si_uid);
			break;
		case SI_QUEUE:
		case SI_MESGQ:
			sb_printf(sb, ", si_pid=%d, si_uid=%u", si->si_pid,
				  (unsigned)si->si_uid);
			print_value(sb, si);
			break;
		case SI_TIMER:
			sb_printf(sb, ", si_timerid=%#x, si_overrun=%d",
				  (unsigned)si->si_timerid, si->si_overrun);
			print_value(sb, si);
			break;
		}
		sb_putc(sb, '}');
		return;
	}
	switch (si->si_signo) {
	case SIGCHLD:
		sb_printf(sb, ", si_pid=%d, si_uid=%u, si_status=", si->si_pid,
			  (unsigned)si->si_uid);
		if (si->si_code == CLD_EXITED)
			sb_printf(sb, "%d", si->si_status);
		else
			decode_signal_name(sb, si->si_status);
		sb_puts(sb, ", si_utime=");
		sx_clock_t(sb, (uint64_t)(int64_t)si->si_utime);
		sb_puts(sb, ", si_stime=");
		sx_clock_t(sb, (uint64_t)(int64_t)si->si_stime);
		break;
	case SIGILL:
	case SIGFPE:
	case SIGSEGV:
	case SIGBUS:
	case SIGTRAP:
		if (si->si_code != SI_KERNEL) {
			sb_puts(sb, ", si_addr=");
			print_addr(sb, si->si_addr);
		}
		break;
	case SIGPOLL:
		sb_printf(sb, ", si_band=%ld, si_fd=%d", (long)si->si_band, si->si_fd);
		break;
	case SIGSYS:
		sb_puts(sb, ", si_call_addr=");
		print_addr(sb, si->si_call_addr);
		sb_printf(sb, ", si_syscall=%d, si_arch=%#x", si->si_syscall,
			  si->si_arch);
		break;
	}
	sb_putc(sb, '}');
}
