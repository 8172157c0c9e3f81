/* setsockopt and getsockopt values and control messages on fabricated
 * tracee memory, as strace 6.1 prints them: what the differential test cannot reach on
 * this machine (i386 layouts, -X styles) and structures cut by an
 * unmapped page. The memory is a stopped child's, a copy of ours made by
 * fork; mapped below 4 GiB so that i386 calls can point at it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ptrc/decode.h"
#include "ptrc/syscalls.h"

#define U(p) ((uint64_t)(uintptr_t)(p))

static pid_t child;
static struct decoder decoder;
static struct ptrc_config config;
static struct strbuf out;

static struct syscall_call make_call(enum ptrc_arch arch, const char *name,
				     const uint64_t args[6],
				     struct decode_saved *saved)
{
	long nr = syscall_number(arch, name);
	struct syscall_call call = {
		.tid = child, .arch = arch, .nr = (uint64_t)nr, .args = args,
		.sig = syscall_lookup(arch, (unsigned long)nr), .saved = saved,
	};
	return call;
}

/* The whole setsockopt line's arguments, "setsockopt(" left out. */
static const char *set_line(enum ptrc_arch arch, const uint64_t args[6])
{
	struct syscall_call call = make_call(arch, "setsockopt", args, NULL);
	sb_reset(&out);
	decode_entry(&decoder, &out, &call);
	sb_putc(&out, '\0');
	return out.data + strlen("setsockopt(");
}

/* getsockopt's line from its entry to its exit, the kernel having set
 * the optlen (a 64-bit slot at args[4]) to RLEN and returned RVAL. */
static const char *get_line(enum ptrc_arch arch, const uint64_t args[6],
			    int32_t rlen, int64_t rval)
{
	struct decode_saved saved = { 0 };
	struct syscall_call call = make_call(arch, "getsockopt", args, &saved);
	sb_reset(&out);
	unsigned first = decode_entry(&decoder, &out, &call);
	if (args[4] && rlen >= 0)
		CHECK(ptrace(PTRACE_POKEDATA, child, (void *)(uintptr_t)args[4],
			     (void *)(uintptr_t)(uint32_t)rlen) == 0);
	decode_exit_args(&decoder, &out, &call, first, rval, rval < 0);
	sb_putc(&out, '\0');
	return out.data + strlen("getsockopt(");
}

/* Where the cases' structures are in AREA, filled before the fork. */
#define GREQ64 0        /* group_req, 64-bit layout */
#define GREQ32 160      /* group_req, i386 layout */
#define INTS 320        /* 255, 7 */
#define OPTLEN 512      /* a 64-bit slot for getsockopt's optlen */
#define CRED 600        /* ucred {12345, -1, 1000} */
#define ERRNO 640       /* 111 */
#define MSG32 700       /* an i386 msghdr, its iovec and control messages */
#define SIN6 960        /* sockaddr_in6 [fe80::1]:25, flow 5, scope 1 */
#define PMREQ 1000      /* packet_mreq, type 1, address 02:00:5e */

static void fill_group_req(unsigned char *greq, size_t off)
{
	greq[0] = 1;
	greq[off] = 2;                                 /* AF_INET */
	greq[off + 3] = 53;                            /* port 53 */
	memcpy(greq + off + 4, "\xe0\x00\x00\x01", 4); /* 224.0.0.1 */
}

static void fill(char *area)
{
	fill_group_req((unsigned char *)area + GREQ64, 8);
	fill_group_req((unsigned char *)area + GREQ32, 4);
	int32_t ints[2] = { 255, 7 };
	memcpy(area + INTS, ints, sizeof ints);
	memcpy(area + CRED, "\x39\x30\x00\x00\xff\xff\xff\xff\xe8\x03\x00\x00",
	       12);
	int32_t err = 111;
	memcpy(area + ERRNO, &err, sizeof err);

	/* i386: msghdr {name, namelen, iov, iovlen, control, controllen,
	 * flags} of 4-byte fields; cmsghdr {len, level, type} of 12 bytes:
	 * SCM_RIGHTS [5], then one claiming 2 GiB */
	uint32_t *mh = (uint32_t *)(area + MSG32);
	uint32_t *iov = mh + 8, *ctl = mh + 12;
	mh[2] = (uint32_t)U(iov);
	mh[3] = 1;
	mh[4] = (uint32_t)U(ctl);
	mh[5] = 32;
	iov[0] = (uint32_t)U(area + MSG32 + 200);
	iov[1] = 2;
	memcpy(area + MSG32 + 200, "hi", 2);
	ctl[0] = 16; ctl[1] = 1; ctl[2] = 1; ctl[3] = 5;
	ctl[4] = 0x80000000u; ctl[5] = 1; ctl[6] = 2; ctl[7] = 7;

	unsigned char *sin6 = (unsigned char *)area + SIN6;
	sin6[0] = 10;                                  /* AF_INET6 */
	sin6[3] = 25;
	sin6[7] = 5;
	sin6[8] = 0xfe; sin6[9] = 0x80; sin6[23] = 1;
	sin6[24] = 1;                                  /* lo */
	unsigned char *pm = (unsigned char *)area + PMREQ;
	pm[0] = 1; pm[4] = 1; pm[6] = 3;
	memcpy(pm + 8, "\x02\x00\x5e", 3);
}

/* Network-order fields in each -X style, as strace 6.1 prints them. */
static void check_styles(char *area)
{
	static const struct {
		enum xlat_style style;
		const char *sin6, *pmreq;
	} cases[] = {
		{ XLAT_STYLE_ABBREV,
		  "{sa_family=AF_INET6, sin6_port=htons(25), "
		  "sin6_flowinfo=htonl(5), inet_pton(AF_INET6, \"fe80::1\", "
		  "&sin6_addr), sin6_scope_id=if_nametoindex(\"lo\")}",
		  "{mr_ifindex=if_nametoindex(\"lo\"), mr_type=PACKET_MR_PROMISC, "
		  "mr_alen=3, mr_address=02:00:5e}" },
		{ XLAT_STYLE_RAW,
		  "{sa_family=0xa, sin6_port=\"\\x00\\x19\", "
		  "sin6_flowinfo=\"\\x00\\x00\\x00\\x05\", sin6_addr=\"\\xfe\\x80"
		  "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
		  "\\x00\\x01\", sin6_scope_id=1}",
		  "{mr_ifindex=1, mr_type=0x1, mr_alen=3, "
		  "mr_address=\"\\x02\\x00\\x5e\"}" },
		{ XLAT_STYLE_VERBOSE,
		  "{sa_family=0xa /* AF_INET6 */, sin6_port=\"\\x00\\x19\" "
		  "/* htons(25) */, sin6_flowinfo=\"\\x00\\x00\\x00\\x05\" "
		  "/* htonl(5) */, sin6_addr=\"\\xfe\\x80\\x00\\x00\\x00\\x00"
		  "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01\" "
		  "/* inet_pton(AF_INET6, \"fe80::1\") */, "
		  "sin6_scope_id=1 /* if_nametoindex(\"lo\") */}",
		  "{mr_ifindex=1 /* if_nametoindex(\"lo\") */, "
		  "mr_type=0x1 /* PACKET_MR_PROMISC */, mr_alen=3, "
		  "mr_address=\"\\x02\\x00\\x5e\" /* 02:00:5e */}" },
	};
	uint64_t c[6] = { 3, U(area + SIN6), 28 };
	uint64_t p[6] = { 3, 263, 1, U(area + PMREQ), 16 };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		config.xlat_style = cases[i].style;
		struct syscall_call call =
			make_call(arch_host(), "connect", c, NULL);
		sb_reset(&out);
		decode_entry(&decoder, &out, &call);
		sb_putc(&out, '\0');
		const char *s = out.data + strlen("connect(3, ");
		CHECK(strncmp(s, cases[i].sin6, strlen(cases[i].sin6)) == 0);
		if (strncmp(s, cases[i].sin6, strlen(cases[i].sin6)) != 0)
			fprintf(stderr, "got  %s\nwant %s\n", s, cases[i].sin6);
		s = strstr(set_line(arch_host(), p), "{mr_");
		CHECK(s && strncmp(s, cases[i].pmreq, strlen(cases[i].pmreq)) == 0);
		if (!s || strncmp(s, cases[i].pmreq, strlen(cases[i].pmreq)) != 0)
			fprintf(stderr, "got  %s\nwant %s\n", s ? s : "(none)",
				cases[i].pmreq);
	}
	config.xlat_style = XLAT_STYLE_ABBREV;
}

static void check_cmsg_i386(char *area)
{
	uint64_t a[6] = { 3, U(area + MSG32), 0 };
	struct syscall_call call = make_call(PTRC_ARCH_I386, "sendmsg", a, NULL);
	sb_reset(&out);
	decode_entry(&decoder, &out, &call);
	sb_putc(&out, '\0');
	CHECK_STR(out.data, "sendmsg(3, {msg_name=NULL, msg_namelen=0, "
		  "msg_iov=[{iov_base=\"hi\", iov_len=2}], msg_iovlen=1, "
		  "msg_control=[{cmsg_len=16, cmsg_level=SOL_SOCKET, "
		  "cmsg_type=SCM_RIGHTS, cmsg_data=[5]}, {cmsg_len=2147483648, "
		  "cmsg_level=SOL_SOCKET, cmsg_type=SCM_CREDENTIALS}], "
		  "msg_controllen=32, msg_flags=0}, 0");
}

static void check_set(enum ptrc_arch arch, char *area, char *end)
{
	/* group_req: the group at 8 on 64-bit, at 4 on i386 */
	size_t off = arch_word_size(arch) == 4 ? 4 : 8;
	char *greq = area + (off == 4 ? GREQ32 : GREQ64);
	uint64_t a[6] = { 3, 0, 42 /* MCAST_JOIN_GROUP */, U(greq), off + 128 };
	const char *want = "3, SOL_IP, MCAST_JOIN_GROUP, {gr_interface=";
	CHECK(strncmp(set_line(arch, a), want, strlen(want)) == 0);
	CHECK(strstr(out.data, ", gr_group={sa_family=AF_INET, "
		     "sin_port=htons(53), sin_addr=inet_addr(\"224.0.0.1\")}}, ")
	      != NULL);
	a[4] = off + 127;                              /* one byte short */
	CHECK(strstr(set_line(arch, a), "MCAST_JOIN_GROUP, 0x") != NULL);

	/* a linger whose second int is in the unmapped page */
	uint64_t linger[6] = { 3, 1, 13 /* SO_LINGER */, U(end - 4), 8 };
	CHECK(strstr(set_line(arch, linger), "SO_LINGER, 0x") != NULL);

	/* SO_TXREHASH in every -X style, and an unknown value */
	int32_t *v = (int32_t *)(area + INTS);
	uint64_t tx[6] = { 3, 1, 74 /* SO_TXREHASH */, U(v), 4 };
	CHECK_STR(set_line(arch, tx),
		  "3, SOL_SOCKET, SO_TXREHASH, [SOCK_TXREHASH_DEFAULT], 4");
	config.xlat_style = XLAT_STYLE_VERBOSE;
	CHECK_STR(set_line(arch, tx), "3, 0x1 /* SOL_SOCKET */, "
		  "0x4a /* SO_TXREHASH */, [255 /* SOCK_TXREHASH_DEFAULT */], 4");
	config.xlat_style = XLAT_STYLE_RAW;
	CHECK_STR(set_line(arch, tx), "3, 0x1, 0x4a, [255], 4");
	config.xlat_style = XLAT_STYLE_ABBREV;
	tx[3] = U(v + 1);
	CHECK_STR(set_line(arch, tx),
		  "3, SOL_SOCKET, SO_TXREHASH, [7 /* SOCK_TXREHASH_??? */], 4");

	/* garbage above the int arguments: the kernel reads the low halves */
	if (arch_word_size(arch) == 8) {
		uint64_t hi[6] = { 0xbad00000003ULL, 0xbad00000001ULL,
				   0xbad00000002ULL, U(v), 0xbad00000004ULL };
		CHECK_STR(set_line(arch, hi),
			  "3, SOL_SOCKET, SO_REUSEADDR, [255], 4");
	}
}

static void check_get(enum ptrc_arch arch, char *area, char *end)
{
	int32_t *len = (int32_t *)(area + OPTLEN);
	char *cred = area + CRED;
	uint64_t a[6] = { 4, 1, 17 /* SO_PEERCRED */, U(cred), U(len) };

	CHECK(ptrace(PTRACE_POKEDATA, child, len, (void *)16) == 0);
	CHECK_STR(get_line(arch, a, 12, 0), "4, SOL_SOCKET, SO_PEERCRED, "
		  "{pid=12345, uid=-1, gid=1000}, [16 => 12]");
	CHECK(ptrace(PTRACE_POKEDATA, child, len, (void *)6) == 0);
	CHECK_STR(get_line(arch, a, 6, 0), "4, SOL_SOCKET, SO_PEERCRED, "
		  "{pid=12345, uid=\"\\xff\\xff\"}, [6]");
	/* failed: the address and the length given */
	CHECK(ptrace(PTRACE_POKEDATA, child, len, (void *)12) == 0);
	const char *s = get_line(arch, a, -1, -22);
	CHECK(strstr(s, "SO_PEERCRED, 0x") != NULL && strstr(s, ", [12]"));
	/* the ucred cut by the unmapped page */
	a[3] = U(end - 8);
	s = get_line(arch, a, 12, 0);
	CHECK(strstr(s, "SO_PEERCRED, 0x") != NULL && strstr(s, ", [12]"));
	/* an optlen unreadable at entry: both addresses */
	a[3] = U(cred);
	a[4] = U(end - 2);
	const char *p = strstr(get_line(arch, a, -1, 0), "SO_PEERCRED, 0x");
	CHECK(p && strstr(p + 15, ", 0x"));

	/* SO_ERROR by name, -X verbose */
	uint64_t e[6] = { 3, 1, 4 /* SO_ERROR */, U(area + ERRNO), U(len) };
	CHECK(ptrace(PTRACE_POKEDATA, child, len, (void *)4) == 0);
	CHECK_STR(get_line(arch, e, 4, 0),
		  "3, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]");
	config.xlat_style = XLAT_STYLE_VERBOSE;
	CHECK(ptrace(PTRACE_POKEDATA, child, len, (void *)4) == 0);
	CHECK_STR(get_line(arch, e, 4, 0), "3, 0x1 /* SOL_SOCKET */, "
		  "0x4 /* SO_ERROR */, [111 /* ECONNREFUSED */], [4]");
	config.xlat_style = XLAT_STYLE_ABBREV;

	/* getsockopt's own names: SO_GET_FILTER where setsockopt says
	 * SO_ATTACH_FILTER */
	CHECK(ptrace(PTRACE_POKEDATA, child, len, (void *)4) == 0);
	e[2] = 26;
	CHECK(strncmp(get_line(arch, e, 4, 0), "3, SOL_SOCKET, SO_GET_FILTER, ",
		      30) == 0);
}

int main(void)
{
	long page = sysconf(_SC_PAGESIZE);
#ifdef MAP_32BIT
	char *area = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#else
	char *area = mmap((void *)0x48000000, (size_t)page * 2,
			  PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
#endif
	CHECK(area != MAP_FAILED);
	munmap(area + page, (size_t)page);
	char *end = area + page;
	memset(area, 0, (size_t)page);
	fill(area);

	child = check_stopped_copy();
	int status;

	config.string_limit = 32;
	config.escape = ESCAPE_C;
	decoder_init(&decoder, &config);
	sb_init(&out);

	enum ptrc_arch arches[] = { arch_host(), PTRC_ARCH_I386 };
	for (size_t i = 0; i < sizeof arches / sizeof arches[0]; i++) {
		if (syscall_number(arches[i], "getsockopt") < 0)
			continue;
		check_set(arches[i], area, end);
		check_get(arches[i], area, end);
	}
	check_cmsg_i386(area);
	check_styles(area);

	kill(child, SIGKILL);
	waitpid(child, &status, __WALL);
	sb_free(&out);
	decoder_free(&decoder);
	return check_result("socket_structs");
}
