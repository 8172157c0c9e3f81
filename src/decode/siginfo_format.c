/* siginfo_t as strace prints it: {si_signo=SIGCHLD, si_code=CLD_EXITED, ...} */
#include "ptrc/decode.h"

#include <stddef.h>

#include "ptrc/names.h"
#include "ptrc/syscalls.h"
#include "structs.h"

/* The table of si_code values of signal SIGNO. Codes <= 0 (sent by a
 * process) mean the same for every signal; the other signals know only
 * SI_KERNEL, which the generic table holds too. */
static const struct xlat *code_table(int signo, int code)
{
	if (code <= 0)
		return &xlat_si_code_generic;
	switch (signo) {
	case SIGILL:  return &xlat_si_code_ill;
	case SIGFPE:  return &xlat_si_code_fpe;
	case SIGSEGV: return &xlat_si_code_segv;
	case SIGBUS:  return &xlat_si_code_bus;
	case SIGTRAP: return &xlat_si_code_trap;
	case SIGCHLD: return &xlat_si_code_chld;
	case SIGPOLL: return &xlat_si_code_poll;
	case SIGSYS:  return &xlat_si_code_sys;
	}
	return &xlat_si_code_generic;
}

static const char *code_name(int signo, int code)
{
	return xlat_name(code_table(signo, code), (uint64_t)(int64_t)code);
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

/* SIGSYS's syscall, as strace: "__NR_getppid" when si_arch names a table
 * ptrc has and the number is in it, else the number. */
static void print_sigsys_syscall(struct strbuf *sb, const siginfo_t *si)
{
	enum ptrc_arch arch = arch_from_audit(si->si_arch);
	const struct syscall_sig *sig = arch == PTRC_ARCH_UNKNOWN ? NULL :
		syscall_lookup(arch, (unsigned)si->si_syscall);
	if (sig && sig->name)
		sb_printf(sb, "__NR_%s", sig->name);
	else
		sb_printf(sb, "%u", (unsigned)si->si_syscall);
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
		sb_printf(sb, "%#x", (unsigned)si->si_code);
	if (si->si_errno) {
		/* strace: the errno's name, else the number unsigned */
		const char *err = errno_name(si->si_errno);
		if (err)
			sb_printf(sb, ", si_errno=%s", err);
		else
			sb_printf(sb, ", si_errno=%u", (unsigned)si->si_errno);
	}

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
		print_clock_t(sb, (uint64_t)(int64_t)si->si_utime);
		sb_puts(sb, ", si_stime=");
		print_clock_t(sb, (uint64_t)(int64_t)si->si_stime);
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
		sb_puts(sb, ", si_syscall=");
		print_sigsys_syscall(sb, si);
		sb_puts(sb, ", si_arch=");
		print_enum(sb, XLAT_STYLE_ABBREV, &xlat_audit_arch, si->si_arch,
			   NULL);
		break;
	}
	sb_putc(sb, '}');
}
