/* Library-call lines by prototype (src/lcall/format.c): every type at
 * entry and exit, strings cut at -s and escaped, NULL and unreadable
 * pointers, getaddrinfo's lists (one that loops on itself too), -e dump,
 * the raw registers of a function without a prototype, and the sign
 * extension of ints. Tracee memory is an arena served at ARENA_BASE through
 * mem_set_reader; every other address is unmapped. Ends with random
 * registers and memory for every prototype, for the sanitizers. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <unistd.h>

#include "check.h"
#include "ptrc/lcall.h"
#include "ptrc/mem.h"
#include "../../src/lcall/proto.h"

#include "../fuzz/fuzz_image.h"  /* image_reader: the arena, at IMAGE_BASE */

#define ARENA_BASE IMAGE_BASE
#define ARENA_SIZE 16384

static unsigned char arena[ARENA_SIZE];
static size_t arena_used;

/* Copy N bytes into the arena; their tracee address. */
static uint64_t put(const void *data, size_t n)
{
	arena_used = (arena_used + 15) & ~(size_t)15;
	if (arena_used + n > ARENA_SIZE - 256) {
		fprintf(stderr, "arena full\n");
		exit(2);
	}
	memcpy(arena + arena_used, data, n);
	uint64_t at = ARENA_BASE + arena_used;
	arena_used += n;
	return at;
}

static uint64_t put_str(const char *s)
{
	return put(s, strlen(s) + 1);
}

/* N bytes ending where the arena (the mapping) ends. */
static uint64_t put_at_end(const void *data, size_t n)
{
	memcpy(arena + ARENA_SIZE - n, data, n);
	return ARENA_BASE + ARENA_SIZE - n;
}

/* Store a word at tracee address AT. */
static void poke(uint64_t at, uint64_t v, size_t size)
{
	memcpy(arena + (at - ARENA_BASE), &v, size);
}

#define UNMAPPED 0xdead0000ull
#define SSL 0x5581e2a0ull

static struct ptrc_config config;
static struct decoder decoder;
static struct strbuf out;
static struct lcall_call call;
static unsigned first_exit;

static void start(const char *name, const uint64_t args[6])
{
	call = (struct lcall_call){ .tid = 1, .arch = PTRC_ARCH_X86_64,
				    .name = name,
				    .proto = lcall_proto_find(name) };
	memcpy(call.args, args, sizeof call.args);
}

/* What the entry prints: NAME(ARGS... */
static const char *entry(const char *name, const uint64_t args[6])
{
	start(name, args);
	sb_reset(&out);
	sb_printf(&out, "%s(", name);
	first_exit = lcall_decode_entry(&decoder, &out, &call);
	return out.data;
}

/* The rest of the line, as the call returned RET. */
static const char *finish(uint64_t ret)
{
	lcall_decode_exit_args(&decoder, &out, &call, first_exit, ret);
	sb_puts(&out, ") = ");
	lcall_decode_return(&decoder, &out, &call, ret);
	return out.data;
}

/* --json's items of the returned call, joined as the line joins its
 * arguments, must give the line (TEXT) again. */
static void check_items(const char *name, uint64_t ret, const char *text)
{
	static struct strbuf items_text, joined;
	struct lcall_item items[LCALL_MAX_ITEMS];
	sb_reset(&items_text);
	unsigned n = lcall_decode_items(&decoder, &items_text, &call, true, ret,
					items);
	CHECK(n <= LCALL_MAX_ITEMS);
	sb_reset(&joined);
	sb_printf(&joined, "%s(", name);
	for (unsigned i = 0; i < n; i++) {
		if (i)
			sb_puts(&joined, ", ");
		sb_putn(&joined, items_text.data + items[i].start,
			  items[i].end - items[i].start);
	}
	sb_puts(&joined, ") = ");
	lcall_decode_return(&decoder, &joined, &call, ret);
	CHECK_STR(joined.data, text);
}

static const char *line(const char *name, const uint64_t args[6],
			uint64_t ret)
{
	entry(name, args);
	const char *text = finish(ret);
	check_items(name, ret, text);
	return out.data;
}

static const char *dumps(bool exiting, uint64_t ret)
{
	sb_reset(&out);
	sb_putc(&out, '\0');
	sb_reset(&out);
	lcall_decode_dumps(&decoder, &out, &call, exiting, ret);
	sb_putc(&out, '\0');
	return out.data;
}

static unsigned count(const char *s, const char *what)
{
	unsigned n = 0;
	for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
		n++;
	return n;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A printf-formatted expectation (a few live at once). */
static const char *F(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static const char *F(const char *fmt, ...)
{
	static char bufs[4][1024];
	static unsigned next;
	char *b = bufs[next++ % 4];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof bufs[0], fmt, ap);
	va_end(ap);
	return b;
}

#define X(v) ((unsigned long long)(v))
#define ARGS(...) ((const uint64_t[6]){ __VA_ARGS__ })
#define NEG(v) ((uint64_t)(int64_t)(v))

static void test_find(void)
{
	CHECK(lcall_proto_find("SSL_read") != NULL);
	CHECK(lcall_proto_find("getaddrinfo") != NULL);
	CHECK(lcall_proto_find("__res_query") == lcall_proto_find("res_query"));
	CHECK(lcall_proto_find("__printf_chk") != lcall_proto_find("printf"));
	CHECK(lcall_proto_find("no_such_function") == NULL);
	CHECK(lcall_proto_find("") == NULL);
	CHECK(lcall_proto_find("___") == NULL);
	/* sorted for bsearch, no name twice */
	for (unsigned i = 1; i < lcall_proto_count; i++)
		CHECK(strcmp(lcall_protos[i - 1].name, lcall_protos[i].name) < 0);
	for (unsigned i = 0; i < lcall_proto_count; i++)
		CHECK(lcall_proto_find(lcall_protos[i].name) == &lcall_protos[i]);
}

static void test_numbers(void)
{
	/* int: the low 32 bits, sign-extended, whatever the upper half */
	CHECK_STR(line("lcfix_add", ARGS(0xdeadbeef00000002ull,
					 0x12345678fffffffdull), 0x1ffffffffull),
		  "lcfix_add(2, -3) = -1");
	CHECK_STR(line("lcfix_add", ARGS(0x7fffffff, 0x80000000), 0xffffffff),
		  "lcfix_add(2147483647, -2147483648) = -1");
	CHECK_STR(line("sleep", ARGS(0xffffffff), 5), "sleep(4294967295) = 5");
	CHECK_STR(line("malloc", ARGS(100), 0x5581e2a0), "malloc(100) = 0x5581e2a0");
	CHECK_STR(line("malloc", ARGS(NEG(-1)), 0),
		  "malloc(18446744073709551615) = NULL");
	CHECK_STR(line("free", ARGS(0x5581e2a0), 0xabc), "free(0x5581e2a0) = <void>");
	CHECK_STR(line("free", ARGS(0), 0), "free(NULL) = <void>");
	CHECK_STR(line("ERR_get_error", ARGS(0), 0x1408f10b),
		  "ERR_get_error() = 0x1408f10b");
	CHECK_STR(line("ERR_get_error", ARGS(7), 0), "ERR_get_error() = 0");
	CHECK_STR(line("time", ARGS(0), 1700000000), "time(NULL) = 1700000000");
	CHECK_STR(line("close", ARGS(0x100000003ull), NEG(-1)), "close(3) = -1");
	CHECK_STR(line("strerror", ARGS(ENOENT), 0), "strerror(ENOENT) = NULL");
	CHECK_STR(line("strerror", ARGS(99999), 0), "strerror(99999) = NULL");
	CHECK_STR(line("SSL_get_error", ARGS(SSL, NEG(-1)), 2),
		  "SSL_get_error(0x5581e2a0, -1) = SSL_ERROR_WANT_READ");
	CHECK_STR(line("SSL_get_error", ARGS(SSL, 0), 99),
		  "SSL_get_error(0x5581e2a0, 0) = 0x63 /* SSL_ERROR_??? */");
	CHECK_STR(line("SSL_set_fd", ARGS(SSL, 5), 1), "SSL_set_fd(0x5581e2a0, 5) = 1");
	CHECK_STR(line("socket", ARGS(AF_INET, SOCK_STREAM | SOCK_CLOEXEC,
				      IPPROTO_TCP), 3),
		  "socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, IPPROTO_TCP) = 3");
	CHECK_STR(line("socket", ARGS(AF_UNIX, SOCK_DGRAM, 0), 4),
		  "socket(AF_UNIX, SOCK_DGRAM, 0) = 4");
	CHECK_STR(line("openlog", ARGS(0, LOG_PID | LOG_NDELAY, LOG_MAIL), 0),
		  "openlog(NULL, LOG_PID|LOG_NDELAY, LOG_MAIL) = <void>");
	CHECK_STR(line("dlopen", ARGS(0, RTLD_NOW | RTLD_GLOBAL), 0),
		  "dlopen(NULL, RTLD_NOW|RTLD_GLOBAL) = NULL");
	CHECK_STR(line("gai_strerror", ARGS(NEG(EAI_AGAIN)), 0),
		  "gai_strerror(EAI_AGAIN) = NULL");
	CHECK_STR(line("res_init", ARGS(0), 0), "res_init() = 0");
	CHECK_STR(line("shutdown", ARGS(3, SHUT_WR), 0), "shutdown(3, SHUT_WR) = 0");
}

static void test_fd(void)
{
	int fd = open("/dev/null", O_RDONLY);
	CHECK(fd >= 0);
	config.decode_fds = DECODE_FD_PATH;
	start("close", ARGS((uint64_t)fd));
	call.tid = getpid();
	sb_reset(&out);
	lcall_decode_entry(&decoder, &out, &call);
	char want[64];
	snprintf(want, sizeof want, "%d</dev/null>", fd);
	CHECK_STR(out.data, want);
	config.decode_fds = 0;
	close(fd);
}

static void test_strings(void)
{
	uint64_t hello = put_str("hello");
	CHECK_STR(line("lcfix_echo", ARGS(hello), hello),
		  "lcfix_echo(\"hello\") = \"hello\"");
	CHECK_STR(line("lcfix_echo", ARGS(0), 0), "lcfix_echo(NULL) = NULL");
	CHECK_STR(line("lcfix_echo", ARGS(UNMAPPED), UNMAPPED),
		  "lcfix_echo(0xdead0000) = 0xdead0000");
	/* every byte escaped */
	uint64_t nasty = put_str("a\"b\\c\n\t\r\x01\x1b[2J\xff" "7");
	CHECK_STR(line("lcfix_echo", ARGS(nasty), 0),
		  "lcfix_echo(\"a\\\"b\\\\c\\n\\t\\r\\1\\33[2J\\3777\") = NULL");
	/* cut at -s, with "..." */
	uint64_t longer = put_str("0123456789abcdef");
	config.string_limit = 8;
	CHECK_STR(line("lcfix_echo", ARGS(longer), longer),
		  "lcfix_echo(\"01234567\"...) = \"01234567\"...");
	config.string_limit = 32;
	/* a string running into unmapped memory prints as its address */
	uint64_t edge = put_at_end("abc", 3);
	char want[128];
	snprintf(want, sizeof want, "lcfix_echo(%#llx) = NULL",
		 (unsigned long long)edge);
	CHECK_STR(line("lcfix_echo", ARGS(edge), 0), want);
	/* -x: hex */
	config.escape = ESCAPE_HEX_ALL;
	CHECK_STR(line("lcfix_echo", ARGS(hello), 0),
		  "lcfix_echo(\"\\x68\\x65\\x6c\\x6c\\x6f\") = NULL");
	config.escape = ESCAPE_C;
	/* paths print whole */
	char path[200];
	memset(path, 'p', sizeof path - 1);
	path[sizeof path - 1] = '\0';
	uint64_t p = put_str(path);
	const char *l = line("open", ARGS(p, O_RDONLY, 0777), 3);
	CHECK(strstr(l, path) != NULL && !strstr(l, "\"..."));
	/* string returns */
	uint64_t msg = put_str("No such file or directory");
	CHECK_STR(line("strerror", ARGS(ENOENT), msg),
		  "strerror(ENOENT) = \"No such file or directory\"");
	uint64_t tls = put_str("TLSv1.3");
	CHECK_STR(line("SSL_get_version", ARGS(SSL), tls),
		  "SSL_get_version(0x5581e2a0) = \"TLSv1.3\"");
	CHECK_STR(line("getenv", ARGS(put_str("HOME")), UNMAPPED),
		  "getenv(\"HOME\") = 0xdead0000");
}

static void test_open_mode(void)
{
	uint64_t path = put_str("/var/spool/postfix/pid/master.pid");
	CHECK_STR(line("open", ARGS(path, O_RDONLY, 0xdeadbeef), 3),
		  "open(\"/var/spool/postfix/pid/master.pid\", O_RDONLY) = 3");
	CHECK_STR(line("open", ARGS(path, O_WRONLY | O_CREAT | O_TRUNC, 0644), 4),
		  "open(\"/var/spool/postfix/pid/master.pid\", "
		  "O_WRONLY|O_CREAT|O_TRUNC, 0644) = 4");
	CHECK_STR(line("open", ARGS(0, O_RDWR, 0), NEG(-1)),
		  "open(NULL, O_RDWR) = -1");
}

static void test_buffers(void)
{
	uint64_t ehlo = put("EHLO client\r\n", 13);
	CHECK_STR(line("SSL_write", ARGS(SSL, ehlo, 13), 13),
		  "SSL_write(0x5581e2a0, \"EHLO client\\r\\n\", 13) = 13");
	CHECK_STR(line("write", ARGS(0x100000001ull, ehlo, 4), 4),
		  "write(1, \"EHLO\", 4) = 4");
	/* a negative int length: the address */
	char want[200];
	snprintf(want, sizeof want, "SSL_write(0x5581e2a0, %#llx, -1) = -1",
		 (unsigned long long)ehlo);
	CHECK_STR(line("SSL_write", ARGS(SSL, ehlo, 0xffffffff), NEG(-1)), want);
	/* a length far past the mapping: cut at -s first */
	CHECK_STR(line("write", ARGS(1, ehlo, 1ull << 40), 0),
		  "write(1, \"EHLO client\\r\\n\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"
		  "\\0\\0\\0\\0\\0\\0\\0\\0\\0\"..., 1099511627776) = 0");

	CHECK_STR(line("write", ARGS(1, ehlo, NEG(-1)), 0),
		  "write(1, \"EHLO client\\r\\n\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"
		  "\\0\\0\\0\\0\\0\\0\\0\\0\\0\"..., 18446744073709551615) = 0");

	/* SSL_read: at entry the buffer is not printed yet */
	uint64_t buf = put("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	CHECK_STR(entry("SSL_read", ARGS(SSL, buf, 16384)), "SSL_read(0x5581e2a0, ");
	CHECK(first_exit == 1);
	memcpy(arena + (buf - ARENA_BASE), "250-mail.example.org\r\n250-PIPELINING\r\n",
	       16);
	CHECK_STR(finish(16), "SSL_read(0x5581e2a0, \"250-mail.example\", 16384) = 16");
	config.string_limit = 4;
	CHECK_STR(line("SSL_read", ARGS(SSL, buf, 16384), 16),
		  "SSL_read(0x5581e2a0, \"250-\"..., 16384) = 16");
	config.string_limit = 32;
	snprintf(want, sizeof want, "SSL_read(0x5581e2a0, %#llx, 16384) = -1",
		 (unsigned long long)buf);
	CHECK_STR(line("SSL_read", ARGS(SSL, buf, 16384), 0xffffffff), want);
	CHECK_STR(line("SSL_read", ARGS(SSL, buf, 16384), 0),
		  "SSL_read(0x5581e2a0, \"\", 16384) = 0");
	CHECK_STR(line("SSL_read", ARGS(SSL, 0, 16384), 5),
		  "SSL_read(0x5581e2a0, NULL, 16384) = 5");
	snprintf(want, sizeof want, "SSL_read(0x5581e2a0, %#llx, 16384) = 5",
		 (unsigned long long)UNMAPPED);
	CHECK_STR(line("SSL_read", ARGS(SSL, UNMAPPED, 16384), 5), want);

	/* the test fixture: the return value is the length */
	CHECK_STR(line("lcfix_fill", ARGS(buf, 3), 3), "lcfix_fill(\"250\", 3) = 3");
	snprintf(want, sizeof want, "lcfix_fill(%#llx, 3) = -1",
		 (unsigned long long)buf);
	CHECK_STR(line("lcfix_fill", ARGS(buf, 3), NEG(-1)), want);

	/* SSL_read_ex: the length through a size_t *, success is 1 */
	uint64_t nread = put("\3\0\0\0\0\0\0\0", 8);
	CHECK_STR(line("SSL_read_ex", ARGS(SSL, buf, 16, nread), 1),
		  "SSL_read_ex(0x5581e2a0, \"250\", 16, [3]) = 1");
	snprintf(want, sizeof want, "SSL_read_ex(0x5581e2a0, %#llx, 16, %#llx) = 0",
		 (unsigned long long)buf, (unsigned long long)nread);
	CHECK_STR(line("SSL_read_ex", ARGS(SSL, buf, 16, nread), 0), want);
	CHECK_STR(line("SSL_write_ex", ARGS(SSL, ehlo, 4, nread), 1),
		  "SSL_write_ex(0x5581e2a0, \"EHLO\", 4, [3]) = 1");

	/* out strings, bounded by their buffer's size */
	uint64_t line_buf = put_str("250 OK\n");
	CHECK_STR(line("fgets", ARGS(line_buf, 512, 0x55aa), line_buf),
		  F("fgets(\"250 OK\\n\", 512, 0x55aa) = %#llx", X(line_buf)));
	snprintf(want, sizeof want, "fgets(%#llx, 512, 0x55aa) = NULL",
		 (unsigned long long)line_buf);
	CHECK_STR(line("fgets", ARGS(line_buf, 512, 0x55aa), 0), want);
	CHECK_STR(line("fgets", ARGS(line_buf, 3, 0x55aa), line_buf),
		  F("fgets(\"250\"..., 3, 0x55aa) = %#llx", X(line_buf)));
	uint64_t err = put_str("error:1408F10B:SSL routines");
	CHECK_STR(line("ERR_error_string_n", ARGS(0x1408f10b, err, 256), 0),
		  "ERR_error_string_n(0x1408f10b, \"error:1408F10B:SSL routines\", 256) = <void>");
	/* char ** out */
	uint64_t strp = put("\0\0\0\0\0\0\0\0", 8);
	poke(strp, put_str("formatted"), 8);
	CHECK_STR(line("asprintf", ARGS(strp, put_str("%s"), 0x1234), 9),
		  "asprintf([\"formatted\"], \"%s\", 0x1234) = 9");
	/* res_query: DNS names, class and type by name */
	uint64_t answer = put("\x12\x34\x81\x80", 4);
	CHECK_STR(line("res_query", ARGS(put_str("example.org"), C_IN, T_MX,
					 answer, 512), 4),
		  "res_query(\"example.org\", C_IN, T_MX, \"\\0224\\201\\200\", 512) = 4");
	CHECK_STR(line("res_query", ARGS(0, 99, 9999, answer, 512), NEG(-1)),
		  F("res_query(NULL, 0x63 /* C_??? */, 0x270f /* T_??? */, %#llx, 512) = -1",
		    X(answer)));
}

static uint64_t put_sin(uint16_t port, const char *ip)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	inet_pton(AF_INET, ip, &sin.sin_addr);
	return put(&sin, sizeof sin);
}

static uint64_t put_sin6(uint16_t port, const char *ip)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons(port) };
	inet_pton(AF_INET6, ip, &sin6.sin6_addr);
	return put(&sin6, sizeof sin6);
}

#define SIN_LOCAL_25 "{sa_family=AF_INET, sin_port=htons(25), " \
	"sin_addr=inet_addr(\"127.0.0.1\")}"

static void test_sockets(void)
{
	uint64_t sin = put_sin(25, "127.0.0.1");
	CHECK_STR(line("connect", ARGS(3, sin, 16), 0),
		  "connect(3, " SIN_LOCAL_25 ", 16) = 0");
	CHECK_STR(line("bind", ARGS(3, sin, 1), 0), F("bind(3, %#llx, 1) = 0", X(sin)));
	CHECK_STR(line("connect", ARGS(3, 0, 0), NEG(-1)), "connect(3, NULL, 0) = -1");

	/* accept: the address and its length print at return */
	uint64_t peer = put("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	uint64_t len = put("\x80\0\0\0", 4);
	CHECK_STR(entry("accept", ARGS(3, peer, len)), "accept(3, ");
	CHECK(first_exit == 1);
	memcpy(arena + (peer - ARENA_BASE), arena + (sin - ARENA_BASE), 16);
	poke(len, 16, 4);
	CHECK_STR(finish(5), "accept(3, " SIN_LOCAL_25 ", [16]) = 5");
	CHECK_STR(line("accept", ARGS(3, peer, len), NEG(-1)),
		  F("accept(3, %#llx, %#llx) = -1", X(peer), X(len)));
	CHECK_STR(line("accept", ARGS(3, 0, 0), 5), "accept(3, NULL, NULL) = 5");
	CHECK_STR(line("accept", ARGS(3, peer, UNMAPPED), 5),
		  F("accept(3, %#llx, 0xdead0000) = 5", X(peer)));

	uint64_t data = put("abcd", 4);
	CHECK_STR(line("recvfrom", ARGS(3, data, 100, MSG_DONTWAIT, peer, len), 4),
		  "recvfrom(3, \"abcd\", 100, MSG_DONTWAIT, " SIN_LOCAL_25
		  ", [16]) = 4");
	CHECK_STR(line("send", ARGS(3, data, 2, MSG_NOSIGNAL), 2),
		  "send(3, \"ab\", 2, MSG_NOSIGNAL) = 2");
	CHECK_STR(line("sendto", ARGS(3, data, 4, 0, sin, 16), 4),
		  "sendto(3, \"abcd\", 4, 0, " SIN_LOCAL_25 ", 16) = 4");
}

/* struct addrinfo, 64-bit: flags, family, socktype, protocol, addrlen,
 * addr at 24, canonname at 32, next at 40. */
static uint64_t put_ai(uint32_t flags, uint32_t family, uint32_t type,
		       uint32_t proto, uint32_t addrlen, uint64_t addr,
		       uint64_t canon, uint64_t next)
{
	unsigned char b[48] = { 0 };
	memcpy(b, &flags, 4);
	memcpy(b + 4, &family, 4);
	memcpy(b + 8, &type, 4);
	memcpy(b + 12, &proto, 4);
	memcpy(b + 16, &addrlen, 4);
	memcpy(b + 24, &addr, 8);
	memcpy(b + 32, &canon, 8);
	memcpy(b + 40, &next, 8);
	return put(b, sizeof b);
}

#define AI_V6_LOCAL "{ai_family=AF_INET6, ai_socktype=SOCK_STREAM, " \
	"ai_protocol=IPPROTO_TCP, ai_addr={sa_family=AF_INET6, " \
	"sin6_port=htons(25), sin6_flowinfo=htonl(0), " \
	"inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}}"

static void test_addrinfo(void)
{
	uint64_t node = put_str("mail.example.org"), service = put_str("smtp");
	uint64_t hints = put_ai(AI_CANONNAME, AF_UNSPEC, SOCK_STREAM, 0, 0, 0, 0, 0);
	uint64_t res = put("\0\0\0\0\0\0\0\0", 8);
	uint64_t args[6] = { node, service, hints, res };
	const char *head = "getaddrinfo(\"mail.example.org\", \"smtp\", "
		"{ai_flags=AI_CANONNAME, ai_family=AF_UNSPEC, "
		"ai_socktype=SOCK_STREAM, ai_protocol=0}, ";
	CHECK_STR(entry("getaddrinfo", args), head);
	CHECK(first_exit == 3);

	/* the call fills *res: two nodes */
	uint64_t n2 = put_ai(0, AF_INET6, SOCK_STREAM, IPPROTO_TCP, 28,
			     put_sin6(25, "::1"), 0, 0);
	uint64_t n1 = put_ai(AI_CANONNAME, AF_INET, SOCK_STREAM, IPPROTO_TCP, 16,
			     put_sin(25, "127.0.0.1"), node, n2);
	poke(res, n1, 8);
	CHECK_STR(finish(0), F("%s[{ai_family=AF_INET, ai_socktype=SOCK_STREAM, "
			       "ai_protocol=IPPROTO_TCP, ai_addr=" SIN_LOCAL_25
			       ", ai_canonname=\"mail.example.org\"}, "
			       AI_V6_LOCAL "]) = 0", head));
	/* -v: the flags and ai_addrlen too */
	config.verbose = true;
	const char *l = line("getaddrinfo", args, 0);
	CHECK(strstr(l, "[{ai_flags=AI_CANONNAME, ai_family=AF_INET, "
		      "ai_socktype=SOCK_STREAM, ai_protocol=IPPROTO_TCP, "
		      "ai_addrlen=16, ai_addr=") != NULL);
	CHECK(strstr(l, "{ai_flags=0, ai_family=AF_INET6") != NULL);
	config.verbose = false;

	/* errors: the pointer, and the error's name */
	l = line("getaddrinfo", args, NEG(EAI_NONAME));
	CHECK(strncmp(l, F("%s%#llx) = %d EAI_NONAME (", head, X(res), EAI_NONAME),
		      strlen(head) + 20) == 0);
	CHECK(ends_with(l, ")"));

	/* *res NULL, *res unreadable, res unreadable */
	poke(res, 0, 8);
	CHECK_STR(line("getaddrinfo", args, 0), F("%s[NULL]) = 0", head));
	poke(res, UNMAPPED, 8);
	CHECK_STR(line("getaddrinfo", args, 0), F("%s[0xdead0000]) = 0", head));
	args[3] = UNMAPPED;
	CHECK_STR(line("getaddrinfo", args, 0), F("%s0xdead0000) = 0", head));
	args[3] = res;

	/* a node whose ai_next is unreadable ends the list with its address */
	uint64_t broken = put_ai(0, AF_INET6, SOCK_STREAM, IPPROTO_TCP, 28,
				 put_sin6(25, "::1"), 0, UNMAPPED);
	poke(res, broken, 8);
	CHECK_STR(line("getaddrinfo", args, 0),
		  F("%s[" AI_V6_LOCAL ", 0xdead0000]) = 0", head));

	/* a list that loops on itself stops after a few nodes */
	uint64_t loop = put_ai(0, AF_INET, SOCK_DGRAM, IPPROTO_UDP, 16, 0, 0, 0);
	poke(loop + 40, loop, 8);
	poke(res, loop, 8);
	l = line("getaddrinfo", args, 0);
	CHECK(count(l, "{ai_family=AF_INET, ai_socktype=SOCK_DGRAM, "
		       "ai_protocol=IPPROTO_UDP, ai_addr=NULL}") == 8);
	CHECK(ends_with(l, "}, ...]) = 0"));
	config.verbose = true;
	CHECK(count(line("getaddrinfo", args, 0), "{ai_flags=0,") == 64);
	config.verbose = false;
	/* two nodes pointing at each other */
	uint64_t a = put_ai(0, AF_INET, 0, 0, 0, 0, 0, 0);
	uint64_t b = put_ai(0, AF_INET6, 0, 0, 0, 0, 0, a);
	poke(a + 40, b, 8);
	poke(res, a, 8);
	l = line("getaddrinfo", args, 0);
	CHECK(count(l, "{ai_family=") == 8 && ends_with(l, ", ...]) = 0"));
	/* a hostile ai_addrlen is cut at the largest sockaddr */
	uint64_t big = put_ai(0, AF_INET, SOCK_STREAM, 0, 0xffffffff,
			      put_sin(25, "127.0.0.1"), 0, 0);
	poke(res, big, 8);
	CHECK(strstr(line("getaddrinfo", args, 0), SIN_LOCAL_25) != NULL);

	/* hints: NULL, unreadable, running into the unmapped page */
	args[2] = 0;
	CHECK(strstr(entry("getaddrinfo", args), "\"smtp\", NULL, ") != NULL);
	args[2] = UNMAPPED;
	CHECK(strstr(entry("getaddrinfo", args), "\"smtp\", 0xdead0000, ") != NULL);
	args[2] = put_at_end("\2\0\0\0", 4);
	CHECK(strstr(entry("getaddrinfo", args), F("\"smtp\", %#llx, ", X(args[2]))) != NULL);

	/* i386: 32-byte nodes, 4-byte pointers (addr 20, canonname 24,
	 * next 28) */
	unsigned char b32[32] = { 0 };
	uint32_t v = AF_INET, t = SOCK_STREAM, alen = 16;
	uint32_t sa = (uint32_t)put_sin(25, "127.0.0.1"), canon = (uint32_t)node;
	memcpy(b32 + 4, &v, 4);
	memcpy(b32 + 8, &t, 4);
	memcpy(b32 + 16, &alen, 4);
	memcpy(b32 + 20, &sa, 4);
	memcpy(b32 + 24, &canon, 4);
	uint64_t n32 = put(b32, sizeof b32);
	poke(res, n32, 4);
	start("getaddrinfo", ARGS(0xffffffff00000000ull | node, service, 0, res));
	call.arch = PTRC_ARCH_I386;
	sb_reset(&out);
	sb_puts(&out, "getaddrinfo(");
	first_exit = lcall_decode_entry(&decoder, &out, &call);
	CHECK_STR(finish(0), "getaddrinfo(\"mail.example.org\", \"smtp\", NULL, "
		  "[{ai_family=AF_INET, ai_socktype=SOCK_STREAM, ai_protocol=0, "
		  "ai_addr=" SIN_LOCAL_25 ", ai_canonname=\"mail.example.org\"}]) = 0");
}

static void test_structs(void)
{
	uint64_t name = put_str("mail.example.org");
	uint64_t alias = put_str("mx");
	uint64_t aliases = put("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	poke(aliases, alias, 8);
	uint64_t a1 = put("\x7f\0\0\1", 4), a2 = put("\x0a\0\0\1", 4);
	uint64_t addrs = put("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24);
	poke(addrs, a1, 8);
	poke(addrs + 8, a2, 8);
	uint64_t he[4] = { name, aliases, AF_INET | (4ull << 32), addrs };
	uint64_t hostent = put(he, sizeof he);
	CHECK_STR(line("gethostbyname", ARGS(name), hostent),
		  "gethostbyname(\"mail.example.org\") = {h_name=\"mail.example.org\", "
		  "h_aliases=[\"mx\"], h_addrtype=AF_INET, h_length=4, "
		  "h_addr_list=[inet_addr(\"127.0.0.1\"), inet_addr(\"10.0.0.1\")]}");
	CHECK_STR(line("gethostbyname", ARGS(name), 0),
		  "gethostbyname(\"mail.example.org\") = NULL");
	CHECK_STR(line("gethostbyname", ARGS(name), UNMAPPED),
		  "gethostbyname(\"mail.example.org\") = 0xdead0000");
	/* an address list without its NULL, running off the mapping */
	uint64_t tail[2] = { a1, UNMAPPED };
	uint64_t endless = put_at_end(tail, sizeof tail);
	uint64_t he2[4] = { 0, 0, AF_INET | (4ull << 32), endless };
	CHECK_STR(line("gethostbyname2", ARGS(name, AF_INET), put(he2, sizeof he2)),
		  F("gethostbyname2(\"mail.example.org\", AF_INET) = {h_name=NULL, "
		    "h_aliases=NULL, h_addrtype=AF_INET, h_length=4, "
		    "h_addr_list=[inet_addr(\"127.0.0.1\"), 0xdead0000, ... /* %#llx */]}",
		    X(ARENA_BASE + ARENA_SIZE)));
	/* an address length that is not the family's: the pointers */
	uint64_t v6 = put_sin6(0, "::1") + 8;
	uint64_t list6[2] = { v6, 0 };
	uint64_t he3[4] = { 0, 0, AF_INET6 | (16ull << 32), put(list6, sizeof list6) };
	CHECK_STR(line("gethostbyname2", ARGS(name, AF_INET6), put(he3, sizeof he3)),
		  "gethostbyname2(\"mail.example.org\", AF_INET6) = {h_name=NULL, "
		  "h_aliases=NULL, h_addrtype=AF_INET6, h_length=16, "
		  "h_addr_list=[inet_pton(AF_INET6, \"::1\")]}");
	he3[2] = AF_INET6 | (4ull << 32);
	CHECK_STR(line("gethostbyname2", ARGS(name, AF_INET6), put(he3, sizeof he3)),
		  F("gethostbyname2(\"mail.example.org\", AF_INET6) = {h_name=NULL, "
		    "h_aliases=NULL, h_addrtype=AF_INET6, h_length=4, "
		    "h_addr_list=[%#llx]}", X(v6)));

	uint64_t pw[6] = { put_str("postfix"), put_str("x"), 101 | (102ull << 32),
			   put_str(""), put_str("/var/spool/postfix"),
			   put_str("/usr/sbin/nologin") };
	CHECK_STR(line("getpwnam", ARGS(pw[0]), put(pw, sizeof pw)),
		  "getpwnam(\"postfix\") = {pw_name=\"postfix\", pw_passwd=\"x\", "
		  "pw_uid=101, pw_gid=102, pw_gecos=\"\", "
		  "pw_dir=\"/var/spool/postfix\", pw_shell=\"/usr/sbin/nologin\"}");
	uint64_t mem = put("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 24);
	poke(mem, put_str("postfix"), 8);
	poke(mem + 8, UNMAPPED, 8);
	uint64_t gr[4] = { put_str("postdrop"), put_str("x"), 103, mem };
	CHECK_STR(line("getgrgid", ARGS(103), put(gr, sizeof gr)),
		  "getgrgid(103) = {gr_name=\"postdrop\", gr_passwd=\"x\", "
		  "gr_gid=103, gr_mem=[\"postfix\", 0xdead0000]}");
	CHECK_STR(line("getgrnam", ARGS(UNMAPPED), 0),
		  "getgrnam(0xdead0000) = NULL");

	/* execve's arrays */
	uint64_t argv[3] = { put_str("/usr/sbin/sendmail"), put_str("-t"), 0 };
	uint64_t av = put(argv, sizeof argv);
	CHECK_STR(line("execv", ARGS(argv[0], av), NEG(-1)),
		  "execv(\"/usr/sbin/sendmail\", [\"/usr/sbin/sendmail\", \"-t\"]) = -1");
}

static void test_variadic(void)
{
	uint64_t s = put_str("x");
	uint64_t fmt = put_str("%d %s %5.2f %*d|%%|%m %-#lx\n");
	CHECK_STR(line("printf", ARGS(fmt, 1, s, 3, 0, 0xff), 20),
		  F("printf(\"%%d %%s %%5.2f %%*d|%%%%|%%m %%-#lx\\n\", 0x1, %#llx, "
		    "0x3, 0, 0xff) = 20", X(s)));
	CHECK_STR(line("printf", ARGS(put_str("hello\n"), 7, 7, 7, 7, 7), 6),
		  "printf(\"hello\\n\") = 6");
	CHECK_STR(line("printf", ARGS(put_str("%d%d%d%d%d%d%d"), 1, 2, 3, 4, 5), 7),
		  "printf(\"%d%d%d%d%d%d%d\", 0x1, 0x2, 0x3, 0x4, 0x5, ...) = 7");
	CHECK_STR(line("printf", ARGS(0, 1, 2), NEG(-1)), "printf(NULL, ...) = -1");
	CHECK_STR(line("printf", ARGS(UNMAPPED, 1, 2), NEG(-1)),
		  "printf(0xdead0000, ...) = -1");
	CHECK_STR(line("fprintf", ARGS(0x55aa, put_str("%s: %d\n"), s, 42), 5),
		  F("fprintf(0x55aa, \"%%s: %%d\\n\", %#llx, 0x2a) = 5", X(s)));
	/* a format longer than the scan: "..." after what is known */
	char longfmt[1500];
	memset(longfmt, 'a', sizeof longfmt - 1);
	longfmt[sizeof longfmt - 1] = '\0';
	memcpy(longfmt, "%d", 2);
	const char *l = line("printf", ARGS(put_str(longfmt), 9), 0);
	CHECK(ends_with(l, "\"..., 0x9, ...) = 0"));

	uint64_t msg = put_str("connect from %s[%s]");
	CHECK_STR(line("syslog", ARGS(LOG_MAIL | LOG_INFO, msg, 0x10, 0), 0),
		  "syslog(LOG_MAIL|LOG_INFO, \"connect from %s[%s]\", 0x10, 0) = <void>");
	CHECK_STR(line("__syslog_chk", ARGS(LOG_ERR, 1, msg, 1, 2, 3), 0),
		  "__syslog_chk(LOG_ERR, 1, \"connect from %s[%s]\", 0x1, 0x2) = <void>");
	CHECK_STR(line("syslog", ARGS(LOG_LOCAL7 | LOG_DEBUG | 0x400, s), 0),
		  "syslog(LOG_LOCAL7|LOG_DEBUG|0x400, \"x\") = <void>");
	CHECK_STR(line("syslog", ARGS(0x3f8 | LOG_DEBUG, s), 0),
		  "syslog(0x3f8 /* LOG_??? */|LOG_DEBUG, \"x\") = <void>");

	/* fixed arguments printed at return, then the variadic ones */
	uint64_t out_buf = put_str("abc");
	CHECK_STR(entry("snprintf", ARGS(out_buf, 10, put_str("%s"), s)),
		  "snprintf(");
	CHECK(first_exit == 0);
	CHECK_STR(finish(3), F("snprintf(\"abc\", 10, \"%%s\", %#llx) = 3", X(s)));
	/* getnameinfo: six registers, flags on the stack */
	uint64_t sin = put_sin(25, "127.0.0.1");
	uint64_t host = put_str("localhost"), serv = put_str("smtp");
	CHECK_STR(entry("getnameinfo", ARGS(sin, 16, host, 1025, serv, 32)),
		  "getnameinfo(" SIN_LOCAL_25 ", 16, ");
	CHECK_STR(finish(0), "getnameinfo(" SIN_LOCAL_25 ", 16, \"localhost\", "
		  "1025, \"smtp\", 32, ...) = 0");
	l = line("getnameinfo", ARGS(sin, 16, host, 1025, serv, 32), NEG(EAI_AGAIN));
	CHECK(strstr(l, F("16, %#llx, 1025, %#llx, 32, ...) = %d EAI_AGAIN (",
			  X(host), X(serv), EAI_AGAIN)) != NULL);
}

static void test_raw(void)
{
	CHECK(lcall_proto_find("foo") == NULL);
	CHECK_STR(line("foo", ARGS(1, 0x7ffd12345678, 0, 0, 0, NEG(-1)), 42),
		  "foo(0x1, 0x7ffd12345678, 0, 0, 0, 0xffffffffffffffff) = 0x2a");
	CHECK(first_exit == 6);
	CHECK_STR(line("foo", ARGS(0), 0), "foo(0, 0, 0, 0, 0, 0) = 0");
	/* i386: the registers' low halves */
	start("foo", ARGS(0xffffffff00000001ull, NEG(-1)));
	call.arch = PTRC_ARCH_I386;
	sb_reset(&out);
	lcall_decode_entry(&decoder, &out, &call);
	lcall_decode_exit_args(&decoder, &out, &call, 6, 0);
	sb_puts(&out, " = ");
	lcall_decode_return(&decoder, &out, &call, 0x1ffffffffull);
	CHECK_STR(out.data, "0x1, 0xffffffff, 0, 0, 0, 0 = 0xffffffff");
	/* exit arguments past the end print nothing */
	start("SSL_read", ARGS(SSL));
	sb_reset(&out);
	sb_putc(&out, 'x');
	lcall_decode_exit_args(&decoder, &out, &call, 99, 0);
	CHECK_STR(out.data, "x");
}

#define EHLO_DUMP " | 00000  45 48 4c 4f 20 63 6c 69  65 6e 74 0d 0a  " \
	"         EHLO client..    |\n"

static void test_dumps(void)
{
	uint64_t ehlo = put("EHLO client\r\n", 13);
	config.lcall_dump = true;
	start("SSL_write", ARGS(SSL, ehlo, 13));
	CHECK_STR(dumps(false, 0), EHLO_DUMP);
	CHECK_STR(dumps(true, 13), "");
	start("write", ARGS(1, ehlo, 13));
	CHECK_STR(dumps(false, 0), EHLO_DUMP);
	start("send", ARGS(1, ehlo, 0, 0));
	CHECK_STR(dumps(false, 0), "");

	/* SSL_read: RET bytes, at return only, and only when it succeeded */
	start("SSL_read", ARGS(SSL, ehlo, 16384));
	CHECK_STR(dumps(false, 0), "");
	CHECK_STR(dumps(true, 13), EHLO_DUMP);
	CHECK_STR(dumps(true, 0), "");
	CHECK_STR(dumps(true, 0xffffffff), "");
	start("SSL_read_ex", ARGS(SSL, ehlo, 16384, put("\4\0\0\0\0\0\0\0", 8)));
	CHECK_STR(dumps(true, 1), " | 00000  45 48 4c 4f                    "
		  "                   EHLO             |\n");
	CHECK_STR(dumps(true, 0), "");
	start("recv", ARGS(3, ehlo, 100, 0));
	CHECK_STR(dumps(true, 13), EHLO_DUMP);
	start("lcfix_fill", ARGS(ehlo, 100));
	CHECK_STR(dumps(true, 13), EHLO_DUMP);

	/* a huge length: what is readable, no more */
	uint64_t end = put_at_end("0123456789abcdefXYZ", 19);
	start("SSL_write", ARGS(SSL, end, 0x7fffffff));
	const char *d = dumps(false, 0);
	CHECK(count(d, "\n") == 2 && strstr(d, " | 00010  58 59 5a ") != NULL);
	start("SSL_write", ARGS(SSL, UNMAPPED, 100));
	CHECK_STR(dumps(false, 0), "");
	start("SSL_write", ARGS(SSL, 0, 100));
	CHECK_STR(dumps(false, 0), "");

	/* not without -e dump, nor for a function without prototype */
	start("foo", ARGS(SSL, ehlo, 13));
	CHECK_STR(dumps(false, 0), "");
	config.lcall_dump = false;
	start("SSL_write", ARGS(SSL, ehlo, 13));
	CHECK_STR(dumps(false, 0), "");
}

/* Every byte ptrc prints is printable ASCII (or a dump's newline). */
static bool all_printable(const char *s)
{
	for (; *s; s++)
		if ((*s < 0x20 || *s > 0x7e) && *s != '\n')
			return false;
	return true;
}

static uint64_t rnd(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ull;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* A register or memory word: an arena address (often), a small number, or
 * noise. */
static uint64_t rnd_value(bool narrow)
{
	switch (rnd() % 6) {
	case 0: case 1: case 2:
		return ARENA_BASE + rnd() % ARENA_SIZE;
	case 3:
		return rnd() % 64;
	case 4:
		return 0;
	default:
		return narrow ? (uint32_t)rnd() : rnd();
	}
}

/* Random registers and memory for every prototype, on both word sizes. */
static void test_random(void)
{
	unsigned bad = 0;
	config.lcall_dump = true;
	for (unsigned round = 0; round < 40; round++) {
		bool narrow = round % 2;
		for (size_t i = 0; i < ARENA_SIZE; i += 8) {
			uint64_t v = rnd() % 3 ? rnd_value(narrow) : rnd();
			memcpy(arena + i, &v, 8);
		}
		config.string_limit = (unsigned)(rnd() % 80);
		config.verbose = rnd() % 2;
		for (unsigned p = 0; p < lcall_proto_count; p++) {
			for (unsigned k = 0; k < 6; k++) {
				uint64_t args[6];
				for (unsigned a = 0; a < 6; a++)
					args[a] = rnd_value(narrow);
				start(lcall_protos[p].name, args);
				if (narrow)
					call.arch = PTRC_ARCH_I386;
				uint64_t ret = rnd_value(narrow);
				sb_reset(&out);
				first_exit = lcall_decode_entry(&decoder, &out, &call);
				lcall_decode_dumps(&decoder, &out, &call, false, 0);
				lcall_decode_exit_args(&decoder, &out, &call,
						       first_exit, ret);
				lcall_decode_return(&decoder, &out, &call, ret);
				lcall_decode_dumps(&decoder, &out, &call, true, ret);
				sb_putc(&out, '\0');
				if (!all_printable(out.data) && bad++ < 5)
					fprintf(stderr, "unescaped: %s: %s\n",
						lcall_protos[p].name, out.data);
			}
		}
	}
	CHECK(bad == 0);
	config.lcall_dump = false;
	config.verbose = false;
	config.string_limit = 32;
	memset(arena, 0, sizeof arena);
}

int main(void)
{
	config.string_limit = 32;
	config.escape = ESCAPE_C;
	decoder_init(&decoder, &config);
	sb_init(&out);
	image = arena;
	image_len = sizeof arena;
	mem_set_reader(image_reader);

	test_find();
	test_numbers();
	test_fd();
	test_strings();
	test_open_mode();
	test_buffers();
	test_sockets();
	test_addrinfo();
	test_structs();
	test_variadic();
	test_raw();
	test_dumps();
	test_random();

	mem_set_reader(NULL);
	sb_free(&out);
	decoder_free(&decoder);
	return check_result("lcall-format");
}
