/* Flag and enum decoding: the tables (every one non-empty, no name twice),
 * print_flags/print_enum on known, zero and unknown values, and whole
 * syscall lines through the printers and layouts as strace prints them.
 * Values are passed as the C macros, so the test holds on any target. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <unistd.h>

#include "check.h"
#include "decode_line.h"
#include "ptrc/decode.h"
#include "ptrc/syscalls.h"
#include "../../src/decode/xlat.h"

static const struct xlat *table(const char *name)
{
	for (unsigned i = 0; i < xlat_all_count; i++)
		if (!strcmp(xlat_all[i]->name, name))
			return xlat_all[i];
	fprintf(stderr, "no table %s\n", name);
	return NULL;
}

static const char *flags(const char *name, uint64_t v)
{
	const struct xlat *x = table(name);
	sb_reset(&out);
	sb_putc(&out, '\0');
	sb_reset(&out);
	if (x)
		print_flags(&out, config.xlat_style, x, v);
	return out.data;
}

static const char *enumv(const char *name, uint64_t v, const char *unknown)
{
	const struct xlat *x = table(name);
	sb_reset(&out);
	sb_putc(&out, '\0');
	sb_reset(&out);
	if (x)
		print_enum(&out, config.xlat_style, x, v, unknown);
	return out.data;
}

static const char *line(const char *name, const uint64_t args[6], int64_t rval)
{
	return line_arch(arch_host(), name, args, rval);
}

static void test_tables(void)
{
	CHECK(xlat_all_count > 40);
	for (unsigned i = 0; i < xlat_all_count; i++) {
		const struct xlat *x = xlat_all[i];
		check_count++;
		if (x->count == 0) {
			check_failures++;
			fprintf(stderr, "table %s is empty\n", x->name);
		}
		for (unsigned a = 0; a < x->count; a++) {
			CHECK(x->entries[a].name && x->entries[a].name[0]);
			for (unsigned b = a + 1; b < x->count; b++) {
				if (!strcmp(x->entries[a].name, x->entries[b].name)) {
					check_failures++;
					fprintf(stderr, "table %s: %s twice\n",
						x->name, x->entries[a].name);
				}
			}
		}
		/* a flags table whose entry is 0 could never print it */
		if (x->type == XLAT_FLAGS)
			for (unsigned a = 0; a < x->count; a++)
				CHECK(x->entries[a].value != 0);
	}
	/* values from the headers, fallbacks where glibc hides them */
	CHECK(xlat_name(table("open_flags"), O_CLOEXEC) != NULL);
	CHECK_STR(xlat_name(table("open_flags"), O_DIRECTORY), "O_DIRECTORY");
	CHECK(xlat_name(table("open_flags"), 0) == NULL);
	const struct xlat *of = table("open_flags");
	bool largefile = false;
	for (unsigned i = 0; of && i < of->count; i++)
		if (!strcmp(of->entries[i].name, "O_LARGEFILE"))
			largefile = of->entries[i].value != 0;
	CHECK(largefile);
}

static void test_print(void)
{
	CHECK_STR(flags("open_flags", O_CREAT | O_EXCL), "O_CREAT|O_EXCL");
	CHECK_STR(flags("open_flags", O_CREAT | 0x40000000), "O_CREAT|0x40000000");
	CHECK_STR(flags("open_flags", 0), "0");
	CHECK_STR(flags("open_flags", O_SYNC), "O_SYNC");
	CHECK_STR(flags("open_flags", O_TMPFILE), "O_TMPFILE");
	CHECK_STR(flags("access_modes", 0), "F_OK");
	CHECK_STR(flags("access_modes", R_OK | X_OK), "R_OK|X_OK");
	CHECK_STR(flags("mmap_prot", 0), "PROT_NONE");
	CHECK_STR(flags("mmap_prot", 0x100), "0x100 /* PROT_??? */");
	CHECK_STR(flags("eventfd_flags", 0x10000000), "0x10000000 /* EFD_??? */");
	CHECK_STR(flags("msg_flags", MSG_DONTWAIT | MSG_NOSIGNAL),
		  "MSG_DONTWAIT|MSG_NOSIGNAL");
	CHECK_STR(flags("wait_options", WNOHANG | __WALL), "WNOHANG|__WALL");
	CHECK_STR(flags("flock_op", 0x1000), "0x1000 /* LOCK_??? */");
	CHECK_STR(enumv("whence", SEEK_END, NULL), "SEEK_END");
	CHECK_STR(enumv("whence", 7, NULL), "0x7 /* SEEK_??? */");
	CHECK_STR(enumv("whence", 7, "XX_???"), "0x7 /* XX_??? */");
	CHECK_STR(enumv("ioctl_cmd", 0x12345678, NULL), "0x12345678");
	CHECK_STR(enumv("sock_domain", AF_INET6, NULL), "AF_INET6");
	CHECK_STR(enumv("sock_domain", 0, NULL), "AF_UNSPEC");
	CHECK_STR(enumv("rlimit_resource", RLIMIT_NOFILE, NULL), "RLIMIT_NOFILE");
	CHECK_STR(enumv("sockopt_level", SOL_SOCKET, NULL), "SOL_SOCKET");
	CHECK_STR(enumv("sockopt_level", IPPROTO_TCP, NULL), "SOL_TCP");
	CHECK_STR(enumv("sockopt_level", 9999, NULL), "0x270f /* SOL_?? */");
}

static void test_lines(void)
{
	static const char path[] = "/etc/x";
	uint64_t p = (uint64_t)(uintptr_t)path;
	uint64_t fdcwd = (uint64_t)(int64_t)AT_FDCWD;

	/* open flags: the access mode first; the mode only when creating */
	CHECK_STR(line("openat", ARGS(fdcwd, p, O_RDONLY | O_CLOEXEC, 0777), 3),
		  "openat(AT_FDCWD, \"/etc/x\", O_RDONLY|O_CLOEXEC) = 3");
	CHECK_STR(line("openat", ARGS(fdcwd, p, O_RDWR | O_CREAT | O_TRUNC, 0640), 3),
		  "openat(AT_FDCWD, \"/etc/x\", O_RDWR|O_CREAT|O_TRUNC, 0640) = 3");
	CHECK_STR(line("openat", ARGS(fdcwd, p, O_WRONLY | O_TMPFILE, 0600), 3),
		  "openat(AT_FDCWD, \"/etc/x\", O_WRONLY|O_TMPFILE, 0600) = 3");
	CHECK_STR(line("openat", ARGS(fdcwd, p, O_ACCMODE | 0x40000000, 0), -2),
		  "openat(AT_FDCWD, \"/etc/x\", O_ACCMODE|0x40000000) = "
		  "-1 ENOENT (No such file or directory)");
	CHECK_STR(line("umask", ARGS(022), 077), "umask(022) = 077");
	CHECK_STR(line("mkdirat", ARGS(fdcwd, p, 0755), 0),
		  "mkdirat(AT_FDCWD, \"/etc/x\", 0755) = 0");
	CHECK_STR(line("mknodat", ARGS(fdcwd, p, S_IFIFO | 0644, 0), 0),
		  "mknodat(AT_FDCWD, \"/etc/x\", S_IFIFO|0644) = 0");
	CHECK_STR(line("unlinkat", ARGS(3, p, AT_REMOVEDIR), 0),
		  "unlinkat(3, \"/etc/x\", AT_REMOVEDIR) = 0");
	CHECK_STR(line("faccessat2", ARGS(fdcwd, p, R_OK, AT_EACCESS), 0),
		  "faccessat2(AT_FDCWD, \"/etc/x\", R_OK, AT_EACCESS) = 0");
	CHECK_STR(line("lseek", ARGS(3, 0, SEEK_CUR), 0), "lseek(3, 0, SEEK_CUR) = 0");

	/* memory */
	CHECK_STR(line("mmap", ARGS(0, 4096, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, (uint64_t)-1, 0),
		       0x7f0000000000),
		  "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, "
		  "-1, 0) = 0x7f0000000000");
	CHECK_STR(line("mmap", ARGS(0x1000, 8192, PROT_READ, MAP_SHARED | MAP_FIXED,
				    3, 0x26000), 0x1000),
		  "mmap(0x1000, 8192, PROT_READ, MAP_SHARED|MAP_FIXED, 3, 0x26000) = 0x1000");
	CHECK_STR(line("madvise", ARGS(0x1000, 4096, MADV_DONTNEED), 0),
		  "madvise(0x1000, 4096, MADV_DONTNEED) = 0");

	/* processes and signals */
	CHECK_STR(line("kill", ARGS(1, SIGTERM), 0), "kill(1, SIGTERM) = 0");
	CHECK_STR(line("kill", ARGS(1, 0), 0), "kill(1, 0) = 0");
	CHECK_STR(line("wait4", ARGS((uint64_t)-1, 0, WNOHANG, 0), 0),
		  "wait4(-1, NULL, WNOHANG, NULL) = 0");
	CHECK_STR(line("unshare", ARGS(CLONE_NEWNET), 0), "unshare(CLONE_NEWNET) = 0");
#ifdef __x86_64__
	CHECK_STR(line("clone", ARGS(CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | SIGCHLD,
				     0, 0, 0x7f00aa, 0, 0), 42),
		  "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|"
		  "CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f00aa) = 42");
#endif
	CHECK_STR(line("prctl", ARGS(PR_GET_DUMPABLE, 0, 0, 0, 0), 1),
		  "prctl(PR_GET_DUMPABLE) = 1 (SUID_DUMP_USER)");
	static const char comm[] = "worker";
	CHECK_STR(line("prctl", ARGS(PR_SET_NAME, (uint64_t)(uintptr_t)comm, 0, 0, 0), 0),
		  "prctl(PR_SET_NAME, \"worker\") = 0");
	CHECK_STR(line("prctl", ARGS(9999, 1, 2, 3, 4), -22),
		  "prctl(0x270f /* PR_??? */, 0x1, 0x2, 0x3, 0x4) = "
		  "-1 EINVAL (Invalid argument)");
	CHECK_STR(line("getrlimit", ARGS(99, 0), -22),
		  "getrlimit(0x63 /* RLIMIT_??? */, NULL) = -1 EINVAL (Invalid argument)");

	/* futex: the op decides the arguments */
	CHECK_STR(line("futex", ARGS(0x1000, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0), 0),
		  "futex(0x1000, FUTEX_WAKE_PRIVATE, 1) = 0");
	CHECK_STR(line("futex", ARGS(0x1000, FUTEX_WAIT_BITSET_PRIVATE |
				     FUTEX_CLOCK_REALTIME, 1, 0, 0,
				     FUTEX_BITSET_MATCH_ANY), 0),
		  "futex(0x1000, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 1, "
		  "NULL, FUTEX_BITSET_MATCH_ANY) = 0");
	CHECK_STR(line("futex", ARGS(0x1000, FUTEX_CMP_REQUEUE_PRIVATE, 1, 5,
				     0x2000, 7), 0),
		  "futex(0x1000, FUTEX_CMP_REQUEUE_PRIVATE, 1, 5, 0x2000, 7) = 0");
	CHECK_STR(line("futex", ARGS(0x1000, FUTEX_WAKE_OP_PRIVATE, 1, 5, 0x2000,
				     FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_GT, 1)), 0),
		  "futex(0x1000, FUTEX_WAKE_OP_PRIVATE, 1, 5, 0x2000, "
		  "FUTEX_OP_SET<<28|0<<12|FUTEX_OP_CMP_GT<<24|0x1) = 0");
	/* strace names the op unknown, yet lays it out by its command */
	CHECK_STR(line("futex", ARGS(0x1000, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1,
				     0, 0, 0), -38),
		  "futex(0x1000, 0x101 /* FUTEX_??? */, 1) = "
		  "-1 ENOSYS (Function not implemented)");

	/* sockets */
	CHECK_STR(line("socket", ARGS(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), 3),
		  "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_IP) = 3");
	CHECK_STR(line("socket", ARGS(AF_UNIX, SOCK_DGRAM, 0), 3),
		  "socket(AF_UNIX, SOCK_DGRAM, 0) = 3");
	CHECK_STR(line("socket", ARGS(AF_NETLINK, SOCK_RAW, 0), 3),
		  "socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE) = 3");
	CHECK_STR(line("socket", ARGS(99, 77, 55), -22),
		  "socket(0x63 /* AF_??? */, 0x4d /* SOCK_??? */, 55) = "
		  "-1 EINVAL (Invalid argument)");
	CHECK_STR(line("shutdown", ARGS(3, SHUT_RDWR), 0), "shutdown(3, SHUT_RDWR) = 0");

	/* fcntl: the command decides the argument and the return value */
	CHECK_STR(line("fcntl", ARGS(3, F_GETFD, 77), 1),
		  "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
	CHECK_STR(line("fcntl", ARGS(3, F_GETFD, 0), 0), "fcntl(3, F_GETFD) = 0");
	CHECK_STR(line("fcntl", ARGS(3, F_GETFL), O_RDWR | O_APPEND),
		  "fcntl(3, F_GETFL) = 0x402 (flags O_RDWR|O_APPEND)");
	CHECK_STR(line("fcntl", ARGS(3, F_SETFD, FD_CLOEXEC), 0),
		  "fcntl(3, F_SETFD, FD_CLOEXEC) = 0");
	CHECK_STR(line("fcntl", ARGS(3, F_SETFL, O_RDWR | O_NONBLOCK), 0),
		  "fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0");
	CHECK_STR(line("fcntl", ARGS(3, F_DUPFD_CLOEXEC, 10), 11),
		  "fcntl(3, F_DUPFD_CLOEXEC, 10) = 11");
	CHECK_STR(line("fcntl", ARGS(3, F_SETSIG, SIGUSR1), 0),
		  "fcntl(3, F_SETSIG, SIGUSR1) = 0");
	CHECK_STR(line("fcntl", ARGS(3, 0x12345, 0x7b), -22),
		  "fcntl(3, 0x12345 /* F_??? */, 0x7b) = -1 EINVAL (Invalid argument)");

	/* ioctl */
	CHECK_STR(line("ioctl", ARGS(1, TCGETS, 0), -25),
		  "ioctl(1, TCGETS, NULL) = -1 ENOTTY (Inappropriate ioctl for device)");
	CHECK_STR(line("ioctl", ARGS(3, FIOCLEX, 0), 0), "ioctl(3, FIOCLEX) = 0");
	static const int one = 1;
	CHECK_STR(line("ioctl", ARGS(3, FIONBIO, (uint64_t)(uintptr_t)&one), 0),
		  "ioctl(3, FIONBIO, [1]) = 0");
	CHECK_STR(line("ioctl", ARGS(3, FIONREAD, (uint64_t)(uintptr_t)&one), 0),
		  "ioctl(3, FIONREAD, [1]) = 0");
	CHECK_STR(line("ioctl", ARGS(3, _IOR('x', 3, int), 0), -25),
		  "ioctl(3, _IOC(_IOC_READ, 0x78, 0x3, 0x4), 0) = "
		  "-1 ENOTTY (Inappropriate ioctl for device)");
	CHECK_STR(line("ioctl", ARGS(3, _IO('x', 4), 0), -25),
		  "ioctl(3, _IOC(_IOC_NONE, 0x78, 0x4, 0), 0) = "
		  "-1 ENOTTY (Inappropriate ioctl for device)");

	/* descriptors */
	CHECK_STR(line("dup3", ARGS(1, 50, O_CLOEXEC), 50), "dup3(1, 50, O_CLOEXEC) = 50");
	CHECK_STR(line("epoll_create1", ARGS(0x10), -22),
		  "epoll_create1(0x10 /* EPOLL_??? */) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line("flock", ARGS(3, LOCK_EX | LOCK_NB), 0),
		  "flock(3, LOCK_EX|LOCK_NB) = 0");
}

/* Decodings the differential test against strace (tests/differential)
 * found missing or different, and unknown bits beside a known access mode. */
static void test_strace_differences(void)
{
	static const char path[] = "/etc/x";
	uint64_t p = (uint64_t)(uintptr_t)path;
	uint64_t fdcwd = (uint64_t)(int64_t)AT_FDCWD;
	CHECK_STR(line("openat", ARGS(fdcwd, p, O_RDONLY | 0x40000000, 0), 3),
		  "openat(AT_FDCWD, \"/etc/x\", O_RDONLY|0x40000000) = 3");
	CHECK_STR(line("getrusage", ARGS(0, 0), -14),
		  "getrusage(RUSAGE_SELF, NULL) = -1 EFAULT (Bad address)");
	CHECK_STR(line("getrusage", ARGS((uint32_t)RUSAGE_CHILDREN, 0), -14),
		  "getrusage(RUSAGE_CHILDREN, NULL) = -1 EFAULT (Bad address)");
	CHECK_STR(line("getrusage", ARGS(5, 0), -22),
		  "getrusage(5 /* RUSAGE_??? */, NULL) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line("waitid", ARGS(1, 42, 0, WEXITED, 0), -10),
		  "waitid(P_PID, 42, NULL, WEXITED, NULL) = -1 ECHILD (No child processes)");
	CHECK_STR(line("rseq", ARGS(0x1000, 32, 0, 0x53053053), 0),
		  "rseq(0x1000, 0x20, 0, 0x53053053) = 0");
	CHECK_STR(line("msync", ARGS(0x1000, 4096, MS_ASYNC | MS_INVALIDATE), 0),
		  "msync(0x1000, 4096, MS_ASYNC|MS_INVALIDATE) = 0");
	CHECK_STR(line("getpriority", ARGS(PRIO_PROCESS, 0), 20),
		  "getpriority(PRIO_PROCESS, 0) = 20");
	CHECK_STR(line("clock_nanosleep", ARGS(CLOCK_REALTIME, TIMER_ABSTIME, 0, 0), -14),
		  "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, NULL, NULL) = "
		  "-1 EFAULT (Bad address)");
	CHECK_STR(line("prctl", ARGS(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0),
		  "prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) = 0");
	CHECK_STR(line("futex", ARGS(0x1000, 99, 0, 0, 0, 0), -38),
		  "futex(0x1000, 0x63 /* FUTEX_??? */, 0, NULL, NULL, 0) = "
		  "-1 ENOSYS (Function not implemented)");
	static const struct { short type, whence; int pad; int64_t start, len;
			      int pid, pad2; } lock = { F_WRLCK, SEEK_SET, 0, 0, 4, 0, 0 };
	CHECK_STR(line("fcntl", ARGS(3, F_SETLK, (uint64_t)(uintptr_t)&lock), 0),
		  "fcntl(3, F_SETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, "
		  "l_start=0, l_len=4}) = 0");
	CHECK_STR(line("fcntl", ARGS(3, F_GETLK, (uint64_t)(uintptr_t)&lock), 0),
		  "fcntl(3, F_GETLK, {l_type=F_WRLCK, l_whence=SEEK_SET, "
		  "l_start=0, l_len=4, l_pid=0}) = 0");
	static const int owner[2] = { 1, 42 };
	CHECK_STR(line("fcntl", ARGS(3, F_GETOWN_EX, (uint64_t)(uintptr_t)owner), 0),
		  "fcntl(3, F_GETOWN_EX, {type=F_OWNER_PID, pid=42}) = 0");
	static const unsigned char rnd[4] = { 'a', 0, 0xff, '\n' };
	CHECK_STR(line("getrandom", ARGS((uint64_t)(uintptr_t)rnd, 4, 1), 4),
		  "getrandom(\"\\x61\\x00\\xff\\x0a\", 4, GRND_NONBLOCK) = 4");
}

/* Arguments print at the width the kernel reads them (argkinds.tbl): the
 * upper half of a 64-bit register is garbage for an int or a umode_t. */
static void test_widths(void)
{
	const uint64_t garbage = 0xdeadbeef00000000ULL;
	/* x86_64's table for the calls aarch64 lacks (alarm, dup2, unlink) */
	CHECK_STR(line_arch(PTRC_ARCH_X86_64, "alarm", ARGS(garbage | 42), 0),
		  "alarm(42) = 0");
	CHECK_STR(line("io_setup", ARGS(garbage | 2, 0), -14),
		  "io_setup(2, NULL) = -1 EFAULT (Bad address)");
	CHECK_STR(line("umask", ARGS(0xdeadbeefcafe0012ULL), 022),
		  "umask(022) = 022");
	CHECK_STR(line_arch(PTRC_ARCH_X86_64, "dup2",
			    ARGS(garbage | 1, garbage | 100), 100),
		  "dup2(1, 100) = 100");
	CHECK_STR(line("kill", ARGS(garbage | 0xffffffff, garbage | SIGTERM), 0),
		  "kill(-1, SIGTERM) = 0");
	CHECK_STR(line("setfsuid", ARGS(garbage | 0xffffffff), 0),
		  "setfsuid(-1) = 0");
	CHECK_STR(line("setuid", ARGS(garbage | 0xfffffffe), -1),
		  "setuid(4294967294) = -1 EPERM (Operation not permitted)");
	CHECK_STR(line("lseek", ARGS(3, (uint64_t)-1, garbage | SEEK_END), -22),
		  "lseek(3, -1, SEEK_END) = -1 EINVAL (Invalid argument)");
	/* whole words: a length, flags of type unsigned long */
	CHECK_STR(line("ftruncate", ARGS(3, (uint64_t)-1), -22),
		  "ftruncate(3, 18446744073709551615) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line("unshare", ARGS(garbage | CLONE_FILES), -22),
		  "unshare(CLONE_FILES|0xdeadbeef00000000) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line("close_range", ARGS(garbage | 3, garbage | 9, garbage), 0),
		  "close_range(3, 9, 0) = 0");
	/* mremap's fifth argument only with MREMAP_MAYMOVE|MREMAP_FIXED */
	CHECK_STR(line("mremap", ARGS(0x1000, 4096, 8192, 1, 0x5000), 0x1000),
		  "mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE) = 0x1000");
	CHECK_STR(line("mremap", ARGS(0x1000, 4096, 8192, 3, 0x5000), 0x5000),
		  "mremap(0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x5000) = 0x5000");
	/* i386's chown and setuid take 16-bit ids; chown32 32-bit ones */
	CHECK_STR(line_arch(PTRC_ARCH_I386, "setuid", ARGS(0xcafeffff), -22),
		  "setuid(-1) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line_arch(PTRC_ARCH_I386, "fchown", ARGS(3, 0x10002, 0xffff), 0),
		  "fchown(3, 2, -1) = 0");
	CHECK_STR(line_arch(PTRC_ARCH_I386, "fchown32", ARGS(3, 0x10002, 0xffff), 0),
		  "fchown32(3, 65538, 65535) = 0");
	CHECK_STR(line_arch(PTRC_ARCH_X86_64, "fchown", ARGS(3, 0x10002, 0xffff), 0),
		  "fchown(3, 65538, 65535) = 0");
	/* tv_nsec unsigned, tv_sec signed */
	static const struct timespec bad = { -1, -1 };
	CHECK_STR(line("nanosleep", ARGS((uint64_t)(uintptr_t)&bad, 0), -22),
		  "nanosleep({tv_sec=-1, tv_nsec=18446744073709551615}, NULL) = "
		  "-1 EINVAL (Invalid argument)");
}

/* strace's windows for strings and buffers that end at an unreadable page:
 * -s (32) + 1 bytes for a string, PATH_MAX for a path, min(len, -s + 1)
 * for a buffer; short of that, the address. */
static void test_partial_memory(void)
{
	long page = sysconf(_SC_PAGESIZE);
	char *map = mmap(NULL, (size_t)page * 3, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(map != MAP_FAILED);
	if (map == MAP_FAILED)
		return;
	char *edge = map + 2 * page;
	CHECK(mprotect(edge, (size_t)page, PROT_NONE) == 0);
	char addr[32];
	memset(map, 'x', (size_t)page * 2);

	uint64_t p = (uint64_t)(uintptr_t)(edge - 3);   /* "xxx", no NUL */
	snprintf(addr, sizeof addr, "%p", (void *)(edge - 3));
	char want[128];
	snprintf(want, sizeof want, "unlink(%s) = -1 EFAULT (Bad address)", addr);
	CHECK_STR(line_arch(PTRC_ARCH_X86_64, "unlink", ARGS(p), -14), want);
	edge[-1] = '\0';                              /* "xx" */
	CHECK_STR(line_arch(PTRC_ARCH_X86_64, "unlink", ARGS(p), -2),
		  "unlink(\"xx\") = -1 ENOENT (No such file or directory)");
	edge[-1] = 'x';
	/* 32 bytes and no NUL: the 33-byte window runs into the edge */
	p = (uint64_t)(uintptr_t)(edge - 32);
	snprintf(want, sizeof want, "delete_module(%p, 0) = -1 EFAULT (Bad address)",
		 (void *)(edge - 32));
	CHECK_STR(line("delete_module", ARGS(p, 0), -14), want);
	/* 33 bytes: the window is readable, 32 print with "..." */
	p = (uint64_t)(uintptr_t)(edge - 33);
	CHECK_STR(line("delete_module", ARGS(p, 0), -2),
		  "delete_module(\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"..., 0) = "
		  "-1 ENOENT (No such file or directory)");
	/* a buffer of 100 bytes with 32 readable: the address; 33: "..." */
	p = (uint64_t)(uintptr_t)(edge - 32);
	snprintf(want, sizeof want, "write(1, %p, 100) = 100", (void *)(edge - 32));
	CHECK_STR(line("write", ARGS(1, p, 100), 100), want);
	p = (uint64_t)(uintptr_t)(edge - 33);
	CHECK_STR(line("write", ARGS(1, p, 100), 100),
		  "write(1, \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"..., 100) = 100");
	/* a path of 4096 bytes and more: 4095 and "..." */
	p = (uint64_t)(uintptr_t)(edge - 4098);
	const char *s = line_arch(PTRC_ARCH_X86_64, "unlink", ARGS(p), -36);
	CHECK(strlen(s) == strlen("unlink(\"\"...) = -1 ENAMETOOLONG (File name too long)") + 4095);
	CHECK(strstr(s, "x\"...) = -1 ENAMETOOLONG") != NULL);
	munmap(map, (size_t)page * 3);
}

/* Scheduling policies and I/O priorities (flags_sched.c), in each -X
 * style, as strace 6.1 prints them; the kernel takes them as ints. */
static void test_sched(void)
{
	static const int prio = 5;
	uint64_t p = (uint64_t)(uintptr_t)&prio;
	uint64_t hi = 0xdeadbeef00000000ull;
	CHECK_STR(line("sched_setscheduler", ARGS(0, hi | SCHED_BATCH, p), 0),
		  "sched_setscheduler(0, SCHED_BATCH, [5]) = 0");
	CHECK_STR(line("sched_setscheduler", ARGS(0, 0x1234, 0), -22),
		  "sched_setscheduler(0, 0x1234 /* SCHED_??? */, NULL) = "
		  "-1 EINVAL (Invalid argument)");
	CHECK_STR(line("sched_getscheduler", ARGS(0), 3),
		  "sched_getscheduler(0) = 3 (SCHED_BATCH)");
	CHECK_STR(line("sched_getscheduler", ARGS(0), 0x40000000),
		  "sched_getscheduler(0) = 1073741824");
	CHECK_STR(line("sched_get_priority_max", ARGS(SCHED_FIFO), 99),
		  "sched_get_priority_max(SCHED_FIFO) = 99");
	CHECK_STR(line("ioprio_set", ARGS(1, 0, hi | (2 << 13 | 4)), 0),
		  "ioprio_set(IOPRIO_WHO_PROCESS, 0, "
		  "IOPRIO_PRIO_VALUE(IOPRIO_CLASS_BE, 4)) = 0");
	CHECK_STR(line("ioprio_set", ARGS(9, 0, 0xffffffff), -22),
		  "ioprio_set(0x9 /* IOPRIO_WHO_??? */, 0, IOPRIO_PRIO_VALUE("
		  "0x7ffff /* IOPRIO_CLASS_??? */, 8191)) = -1 EINVAL (Invalid argument)");
	CHECK_STR(line("ioprio_get", ARGS(2, 0), 3 << 13),
		  "ioprio_get(IOPRIO_WHO_PGRP, 0) = 24576 "
		  "(IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0))");
	config.xlat_style = XLAT_STYLE_RAW;
	CHECK_STR(line("ioprio_set", ARGS(1, 0, 2 << 13 | 4), 0),
		  "ioprio_set(0x1, 0, 16388) = 0");
	CHECK_STR(line("ioprio_get", ARGS(1, 0), 16388), "ioprio_get(0x1, 0) = 16388");
	CHECK_STR(line("sched_getscheduler", ARGS(0), 0),
		  "sched_getscheduler(0) = 0 (SCHED_OTHER)");
	config.xlat_style = XLAT_STYLE_VERBOSE;
	CHECK_STR(line("ioprio_set", ARGS(1, 0, 2 << 13 | 4), 0),
		  "ioprio_set(0x1 /* IOPRIO_WHO_PROCESS */, 0, 16388 /* "
		  "IOPRIO_PRIO_VALUE(0x2 /* IOPRIO_CLASS_BE */, 4) */) = 0");
	CHECK_STR(line("ioprio_get", ARGS(1, 0), 0),
		  "ioprio_get(0x1 /* IOPRIO_WHO_PROCESS */, 0) = 0 "
		  "(IOPRIO_PRIO_VALUE(0 /* IOPRIO_CLASS_NONE */, 0))");
	config.xlat_style = XLAT_STYLE_ABBREV;
}

/* adjtimex and clock_adjtime return the clock state, named when known. */
static void test_clock_state(void)
{
	static const uint64_t timex[26];   /* 208 bytes of zeros */
	uint64_t p = (uint64_t)(uintptr_t)timex;
	const char *s = line("adjtimex", ARGS(p), 5);
	CHECK(strstr(s, "{modes=0, offset=0,") != NULL);
	CHECK(strstr(s, "tai=0}) = 5 (TIME_ERROR)") != NULL);
	s = line("clock_adjtime", ARGS(CLOCK_REALTIME, p), 0);
	CHECK(strstr(s, "}) = 0 (TIME_OK)") != NULL);
	s = line("adjtimex", ARGS(p), 6);
	CHECK(strstr(s, "}) = 6") != NULL && !strstr(s, "= 6 ("));
	CHECK_STR(line("adjtimex", ARGS(0), -14),
		  "adjtimex(NULL) = -1 EFAULT (Bad address)");
}

/* keyctl's commands and keyring ids (flags_keyctl.c), as strace 6.1. */
static void test_keyctl(void)
{
	static const char desc[] = "user;0;0;3f010000;k";   /* 20 with NUL */
	uint64_t d = (uint64_t)(uintptr_t)desc;
	uint64_t thread = (uint64_t)(int64_t)-1, hi = 0xdeadbeef00000000ull;
	CHECK_STR(line("keyctl", ARGS(0, thread, 1, 7, 7), 5),
		  "keyctl(KEYCTL_GET_KEYRING_ID, KEY_SPEC_THREAD_KEYRING, 1) = 5");
	CHECK_STR(line("keyctl", ARGS(hi | 6, 42, d, 64, 0), 20),
		  "keyctl(KEYCTL_DESCRIBE, 42, \"user;0;0;3f010000;k\", 64) = 20");
	CHECK_STR(line("keyctl", ARGS(11, 42, d, 4, 0), 20),
		  "keyctl(KEYCTL_READ, 42, \"user\", 4) = 20");
	const char *s = line("keyctl", ARGS(11, 42, d, 64, 0), -13);
	CHECK(!strncmp(s, "keyctl(KEYCTL_READ, 42, 0x", 26) &&
	      strstr(s, ", 64) = -1 EACCES") != NULL);
	CHECK_STR(line("keyctl", ARGS(14, hi | 99, 0, 0, 0), -22),
		  "keyctl(KEYCTL_SET_REQKEY_KEYRING, 99 /* KEY_REQKEY_DEFL_??? */) = "
		  "-1 EINVAL (Invalid argument)");
	CHECK_STR(line("keyctl", ARGS(19, 9, 60, 0xffffffff, hi | (uint32_t)-3), -1),
		  "keyctl(KEYCTL_REJECT, 9, 60, 4294967295, KEY_SPEC_SESSION_KEYRING) = "
		  "-1 EPERM (Operation not permitted)");
	CHECK_STR(line("keyctl", ARGS(18, 1, 2, 3, 4), 0),
		  "keyctl(KEYCTL_SESSION_TO_PARENT) = 0");
	CHECK_STR(line("keyctl", ARGS(77, thread, 2, 3, 4), -95),
		  "keyctl(0x4d /* KEYCTL_??? */, 0xffffffffffffffff, 0x2, 0x3, 0x4) = "
		  "-1 EOPNOTSUPP (Operation not supported)");
	config.xlat_style = XLAT_STYLE_RAW;
	CHECK_STR(line("keyctl", ARGS(3, (uint64_t)(int64_t)-2, 0, 0, 0), 0),
		  "keyctl(0x3, -2) = 0");
	CHECK_STR(line("keyctl", ARGS(14, 0, 0, 0, 0), 0), "keyctl(0xe, 0) = 0");
	config.xlat_style = XLAT_STYLE_VERBOSE;
	CHECK_STR(line("keyctl", ARGS(19, 9, 60, 129, 0), -1),
		  "keyctl(0x13 /* KEYCTL_REJECT */, 9, 60, 129 /* EKEYREJECTED */, 0) = "
		  "-1 EPERM (Operation not permitted)");
	CHECK_STR(line("add_key", ARGS(0, 0, 0, 0, (uint64_t)(int64_t)-4), -14),
		  "add_key(NULL, NULL, NULL, 0, -4 /* KEY_SPEC_USER_KEYRING */) = "
		  "-1 EFAULT (Bad address)");
	config.xlat_style = XLAT_STYLE_ABBREV;
}

/* prctl options of flags_prctl.c: what PR_GET_SPECULATION_CTRL returns. */
static void test_prctl_more(void)
{
	CHECK_STR(line("prctl", ARGS(52, 0, 0, 0, 0), 0),
		  "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_STORE_BYPASS) = "
		  "0 (PR_SPEC_NOT_AFFECTED)");
	CHECK_STR(line("prctl", ARGS(52, 1, 0, 0, 0), 0x43),
		  "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_INDIRECT_BRANCH) = "
		  "0x43 (PR_SPEC_PRCTL|PR_SPEC_ENABLE|0x40)");
	CHECK_STR(line("prctl", ARGS(52, 2, 0, 0, 0), 0x40),
		  "prctl(PR_GET_SPECULATION_CTRL, PR_SPEC_L1D_FLUSH) = 0x40");
	CHECK_STR(line("prctl", ARGS(52, 3, 0, 0, 0), 5),
		  "prctl(PR_GET_SPECULATION_CTRL, 0x3 /* PR_SPEC_??? */) = 5");
	CHECK_STR(line("prctl", ARGS(34, 0, 0, 0, 0), 7),
		  "prctl(PR_MCE_KILL_GET, 0, 0, 0, 0) = 7");
	config.xlat_style = XLAT_STYLE_RAW;
	CHECK_STR(line("prctl", ARGS(52, 0, 0, 0, 0), 2), "prctl(0x34, 0) = 0x2");
	config.xlat_style = XLAT_STYLE_ABBREV;
}

/* capset's sets: two words, bits no capability has. */
static void test_caps(void)
{
	static const uint32_t header[2] = { 0x20080522, 0 };
	static const uint32_t data[6] = { 0x1, 0, 0, 0x200, 0x101, 0 };
	uint64_t h = (uint64_t)(uintptr_t)header, d = (uint64_t)(uintptr_t)data;
	CHECK_STR(line("capset", ARGS(h, d), -1),
		  "capset({version=_LINUX_CAPABILITY_VERSION_3, pid=0}, "
		  "{effective=1<<CAP_CHOWN|0x200 /* CAP_??? */, "
		  "permitted=1<<CAP_MAC_OVERRIDE|1<<CAP_CHECKPOINT_RESTORE, "
		  "inheritable=0}) = -1 EPERM (Operation not permitted)");
	static const uint32_t v1[2] = { 0x19980330, 7 };
	CHECK_STR(line("capset", ARGS((uint64_t)(uintptr_t)v1, d), -1),
		  "capset({version=_LINUX_CAPABILITY_VERSION_1, pid=7}, "
		  "{effective=1<<CAP_CHOWN, permitted=0, inheritable=0}) = "
		  "-1 EPERM (Operation not permitted)");
	const char *s = line("capget", ARGS(h, d), -22);
	CHECK(strstr(s, "pid=0}, 0x") != NULL);
}

int main(void)
{
	sb_init(&out);
	config.string_limit = 32;
	decoder_init(&decoder, &config);
	test_tables();
	test_print();
	test_lines();
	test_strace_differences();
	test_widths();
	test_partial_memory();
	test_sched();
	test_clock_state();
	test_keyctl();
	test_prctl_more();
	test_caps();
	decoder_free(&decoder);
	sb_free(&out);
	return check_result("flags");
}
