/* The syscall each held thread of a crashed process was in (see
 * crash_syscall.h).
 *
 * The threads are in ptrace-stops that are not syscall stops (interrupt,
 * group or signal-delivery stops), so PTRACE_GET_SYSCALL_INFO says op
 * NONE; it still gives the arch of the call (i386 for an int 0x80 one).
 * On x86 a thread stopped on its way out of a syscall has orig_rax (the
 * number) != -1; every other entry to the kernel (a fault, an interrupt)
 * sets it to -1. The return register then says whether the call was
 * interrupted while it waited (-ERESTART*: the kernel restarts it when
 * the thread resumes) or had returned (abort()'s tgkill). The arguments
 * come from /proc/TID/syscall (the kernel's view, compat-aware), and must
 * agree with orig_rax. A wait the stop ended with EINTR (epoll_wait is
 * not restarted) counts as waiting too. aarch64 rewinds the pc and forgets the syscall
 * number before the stop (arch/arm64/kernel/signal.c do_signal), so
 * nothing tells there that a thread was in one: nothing is shown. */
#include "crash_syscall.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>
#include <elf.h>

#include "crash_syscall_proc.h"
#include "ptrc/arch_regs.h"
#include "ptrc/decode.h"
#include "ptrc/json.h"

/* The register I of BUF as a signed number of its size. */
static int64_t reg_signed(const struct reg_layout *l, const void *buf, int i)
{
	uint64_t v = reg_get(l, buf, i);
	return l->regs[i].size == 4 ? (int64_t)(int32_t)v : (int64_t)v;
}

/* /proc/PID/task/TID/syscall, at most SIZE - 1 bytes. */
static size_t read_proc_syscall(pid_t tid, char *buf, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	size_t len = 0;
	while (len < size - 1) {
		ssize_t n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	return len;
}

/* The arch of the call TID is stopped in: PTRACE_GET_SYSCALL_INFO's,
 * else the register set's. */
static enum ptrc_arch stop_arch(pid_t tid, const struct reg_layout *l)
{
	struct __ptrace_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0) {
		enum ptrc_arch a = arch_from_audit(info.arch);
		if (a != PTRC_ARCH_UNKNOWN)
			return a;
	}
	return l->arch;
}

/* State, number, arguments and return register of TID's syscall. */
static void find_syscall(struct crash_syscall *cs, pid_t tid)
{
	uint64_t regs[REGS_MAX_SIZE / 8];
	struct iovec iov = { regs, sizeof regs };
	if (ptrace(PTRACE_GETREGSET, tid, (void *)NT_PRSTATUS, &iov) != 0)
		return;
	const struct reg_layout *l = reg_layout_by_size(iov.iov_len);
	/* Without a register that keeps the number (aarch64), nothing. */
	if (!l || l->orig_syscall_nr == REG_NONE || l->ret == REG_NONE)
		return;
	int64_t orig = reg_signed(l, regs, l->orig_syscall_nr);
	if (orig < 0)
		return;
	char text[256];
	size_t len = read_proc_syscall(tid, text, sizeof text);
	uint64_t nr, args[6];
	if (proc_syscall_parse(text, len, &nr, args) != PROC_SYSCALL_IN ||
	    nr != (uint64_t)orig)
		return;  /* the two views disagree: show nothing rather */
	cs->arch = stop_arch(tid, l);
	cs->nr = nr;
	memcpy(cs->args, args, sizeof args);
	cs->ret = reg_signed(l, regs, l->ret);
	cs->state = crash_syscall_was_waiting(cs->ret) ? CRASH_SYSCALL_BLOCKED :
		    CRASH_SYSCALL_RETURNED;
}

/* A SIGSYS of seccomp's SECCOMP_RET_TRAP (or of syscall user dispatch)
 * stands for a call that was not made: the kernel put the number back in
 * rax (syscall_rollback), which is no return value. */
static bool call_refused(const siginfo_t *si)
{
	return si->si_signo == SIGSYS &&
	       (si->si_code == 1 /* SYS_SECCOMP */ ||
		si->si_code == 2 /* SYS_USER_DISPATCH */);
}

/* The call's text as strace prints it: the arguments known at entry as
 * its entry line has them; those it prints at exit as strace does for a
 * call that failed (a buffer not yet filled: its address), or, for a call
 * that returned, as its exit line has them. */
static void decode_call(struct crash_syscall *cs, pid_t tid)
{
	/* The crash report's decoding: -yy, -s 32, names abbreviated. */
	static const struct ptrc_config config = {
		.string_limit = 32, .decode_fds = DECODE_FD_ALL,
	};
	struct decoder d;
	decoder_init(&d, &config);
	struct decode_saved saved = { 0 };
	struct syscall_call call = {
		.tid = tid, .arch = cs->arch, .nr = cs->nr, .args = cs->args,
		.sig = syscall_lookup(cs->arch, (unsigned long)cs->nr),
		.saved = &saved,
	};
	bool blocked = cs->state != CRASH_SYSCALL_RETURNED;  /* no result */
	bool is_error = blocked || (cs->ret < 0 && cs->ret >= -4095);
	struct strbuf sb;
	sb_init(&sb);
	if (call.sig && strcmp(call.sig->name, "restart_syscall") == 0) {
		/* strace's words when it did not see the call restarted */
		sb_puts(&sb, "restart_syscall(<... resuming interrupted system "
			"call ...>");
	} else {
		unsigned first = decode_entry(&d, &sb, &call);
		decode_exit_args(&d, &sb, &call, first,
				 blocked ? -EINTR : cs->ret, is_error);
	}
	sb_putc(&sb, ')');
	cs->call = strdup(sb.data);
	if (cs->state == CRASH_SYSCALL_RETURNED) {
		sb_reset(&sb);
		decode_return(&d, &sb, &call, cs->ret, is_error);
		cs->ret_text = strdup(sb.data ? sb.data : "");
	}
	sb_free(&sb);
	decoder_free(&d);
}

static bool was_stopped(pid_t tid, const pid_t *tids, const bool *stopped,
			size_t ntids)
{
	for (size_t i = 0; i < ntids; i++)
		if (tids[i] == tid)
			return stopped[i];
	return false;
}

void crash_syscalls_collect(struct crash_syscall **out,
			    const struct stack_thread *threads, size_t nthreads,
			    const pid_t *tids, const bool *stopped, size_t ntids,
			    const siginfo_t *si)
{
	*out = calloc(nthreads ? nthreads : 1, sizeof **out);
	if (!*out)
		return;
	for (size_t i = 0; i < nthreads; i++) {
		struct crash_syscall *cs = &(*out)[i];
		pid_t tid = threads[i].tid;
		if (threads[i].vanished || !was_stopped(tid, tids, stopped, ntids))
			continue;
		find_syscall(cs, tid);
		if (i == 0 && cs->state != CRASH_SYSCALL_NONE && call_refused(si))
			cs->state = CRASH_SYSCALL_REFUSED;
		if (cs->state != CRASH_SYSCALL_NONE)
			decode_call(cs, tid);
		if (!cs->call)
			cs->state = CRASH_SYSCALL_NONE;
	}
}

void crash_syscall_text(struct strbuf *sb, const struct crash_syscall *cs)
{
	if (!cs || cs->state == CRASH_SYSCALL_NONE)
		return;
	sb_puts(sb, "Syscall: ");
	sb_puts(sb, cs->call);
	if (cs->state == CRASH_SYSCALL_BLOCKED) {
		sb_puts(sb, " <unfinished ...>\n");
	} else if (cs->state == CRASH_SYSCALL_REFUSED) {
		sb_puts(sb, " <not made: SIGSYS in its place>\n");
	} else {
		sb_puts(sb, " = ");
		sb_puts(sb, cs->ret_text ? cs->ret_text : "?");
		sb_putc(sb, '\n');
	}
}

void crash_syscall_json_member(struct strbuf *sb, const struct crash_syscall *cs)
{
	if (!sb->len || sb->data[sb->len - 1] != '}')
		return;
	sb->len--;  /* reopen the thread's object */
	sb_puts(sb, ",\"syscall\":");
	if (!cs || cs->state == CRASH_SYSCALL_NONE) {
		sb_puts(sb, "null}");
		return;
	}
	char name_buf[32];
	struct syscall_call call = {
		.arch = cs->arch, .nr = cs->nr, .args = cs->args,
		.sig = syscall_lookup(cs->arch, (unsigned long)cs->nr),
	};
	static const char *const states[] = {
		[CRASH_SYSCALL_BLOCKED] = "blocked",
		[CRASH_SYSCALL_RETURNED] = "returned",
		[CRASH_SYSCALL_REFUSED] = "refused",
	};
	sb_printf(sb, "{\"state\":\"%s\",\"arch\":\"%s\",\"number\":%llu,"
		  "\"name\":", states[cs->state], arch_name(cs->arch),
		  (unsigned long long)cs->nr);
	json_string_or_null(sb, syscall_display_name(&call, name_buf));
	sb_puts(sb, ",\"args\":[");
	for (int i = 0; i < 6; i++)
		sb_printf(sb, "%s\"0x%llx\"", i ? "," : "",
			  (unsigned long long)cs->args[i]);
	sb_printf(sb, "],\"return_register\":%lld,\"text\":", (long long)cs->ret);
	json_string_or_null(sb, cs->call);
	sb_puts(sb, ",\"return\":");
	json_string_or_null(sb, cs->ret_text);
	sb_puts(sb, "}}");
}

void crash_syscalls_free(struct crash_syscall *cs, size_t n)
{
	for (size_t i = 0; cs && i < n; i++) {
		free(cs[i].call);
		free(cs[i].ret_text);
	}
	free(cs);
}
