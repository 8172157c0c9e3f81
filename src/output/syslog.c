/* Syslog messages written by hand to a unix socket, so that the format,
 * the size of each message and every failure are ours to decide: glibc's
 * syslog() drops messages silently when nothing listens. */
#include "ptrc/syslog_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* How long one message may wait for a full receiver (a syslog daemon or
 * postlogd that does not read) before ptrc gives up on the sink, so that
 * a stuck logger cannot hold the traced process forever. */
#define SEND_TIMEOUT_MS 5000

struct syslog_sink {
	int fd;
	int socktype;
	enum syslog_format format;
	int pri;
	int error;
	struct sockaddr_un addr;
	char ident[32];
	char host[64];
	/* The header is the same for a whole second. */
	time_t header_time;
	pid_t header_pid;
	char header[128];
	size_t header_len;
	/* One escaped line. */
	char *line;
	size_t line_cap;
};

static const struct {
	const char *name;
	int value;
} facilities[] = {
	{ "auth", LOG_AUTH }, { "authpriv", LOG_AUTHPRIV }, { "cron", LOG_CRON },
	{ "daemon", LOG_DAEMON }, { "ftp", LOG_FTP }, { "kern", LOG_KERN },
	{ "lpr", LOG_LPR }, { "mail", LOG_MAIL }, { "news", LOG_NEWS },
	{ "syslog", LOG_SYSLOG }, { "user", LOG_USER }, { "uucp", LOG_UUCP },
	{ "local0", LOG_LOCAL0 }, { "local1", LOG_LOCAL1 },
	{ "local2", LOG_LOCAL2 }, { "local3", LOG_LOCAL3 },
	{ "local4", LOG_LOCAL4 }, { "local5", LOG_LOCAL5 },
	{ "local6", LOG_LOCAL6 }, { "local7", LOG_LOCAL7 },
}, severities[] = {
	{ "emerg", LOG_EMERG }, { "panic", LOG_EMERG }, { "alert", LOG_ALERT },
	{ "crit", LOG_CRIT }, { "err", LOG_ERR }, { "error", LOG_ERR },
	{ "warning", LOG_WARNING }, { "warn", LOG_WARNING },
	{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
};

bool syslog_parse_priority(const char *text, int *pri)
{
	const char *dot = strchr(text, '.');
	size_t flen = dot ? (size_t)(dot - text) : strlen(text);
	int facility = -1, severity = LOG_INFO;
	for (size_t i = 0; i < sizeof facilities / sizeof facilities[0]; i++)
		if (strlen(facilities[i].name) == flen &&
		    !strncmp(facilities[i].name, text, flen))
			facility = facilities[i].value;
	if (facility < 0)
		return false;
	if (dot) {
		severity = -1;
		for (size_t i = 0; i < sizeof severities / sizeof severities[0]; i++)
			if (!strcmp(severities[i].name, dot + 1))
				severity = severities[i].value;
		if (severity < 0)
			return false;
	}
	*pri = facility | severity;
	return true;
}

static int sink_connect(struct syslog_sink *s)
{
	int types[] = { SOCK_DGRAM, SOCK_STREAM };
	int err = 0;
	for (size_t i = 0; i < 2; i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			return errno;
		int r;
		while ((r = connect(fd, (struct sockaddr *)&s->addr, sizeof s->addr)) < 0 &&
		       errno == EINTR)
			;
		if (r == 0 || (types[i] == SOCK_STREAM && errno == EINPROGRESS)) {
			if (s->fd >= 0) {
				/* Keep the descriptor number: --background
				 * kept exactly this one open. */
				dup3(fd, s->fd, O_CLOEXEC);
				close(fd);
			} else {
				s->fd = fd;
			}
			s->socktype = types[i];
			return 0;
		}
		err = errno;
		close(fd);
		if (err != EPROTOTYPE)
			break;  /* not a matter of socket type */
	}
	return err;
}

struct syslog_sink *syslog_sink_open(const char *path, enum syslog_format format,
				     int pri, const char *ident,
				     char *err, size_t err_size)
{
	struct syslog_sink *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	s->fd = -1;
	s->format = format;
	s->pri = pri;
	s->header_time = (time_t)-1;
	snprintf(s->ident, sizeof s->ident, "%s", ident);
	s->addr.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof s->addr.sun_path) {
		snprintf(err, err_size, "syslog socket path too long: %s", path);
		free(s);
		return NULL;
	}
	strcpy(s->addr.sun_path, path);

	/* Postfix's records name the host (its first label), as postlogd
	 * writes them out unchanged. Postfix daemons pass their myhostname
	 * to programs they start in POSTLOG_HOSTNAME. */
	const char *host = getenv("POSTLOG_HOSTNAME");
	if (host && *host)
		snprintf(s->host, sizeof s->host, "%s", host);
	else if (gethostname(s->host, sizeof s->host - 1) < 0)
		strcpy(s->host, "localhost");
	s->host[strcspn(s->host, ". \t\r\n")] = '\0';
	if (!s->host[0])
		strcpy(s->host, "localhost");

	int e = sink_connect(s);
	if (e) {
		snprintf(err, err_size, "cannot send to syslog socket %s: %s%s", path,
			 strerror(e), e == ENOENT || e == ECONNREFUSED ?
			 " (is a syslog daemon or Postfix's postlog service running?)" : "");
		free(s);
		return NULL;
	}
	return s;
}

int syslog_sink_error(const struct syslog_sink *s)
{
	return s->error;
}

int syslog_sink_fd(const struct syslog_sink *s)
{
	return s->fd;
}

void syslog_sink_close(struct syslog_sink *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->line);
	free(s);
}

static void make_header(struct syslog_sink *s)
{
	time_t now = time(NULL);
	pid_t pid = getpid();  /* --background forks after the sink opens */
	if (now == s->header_time && pid == s->header_pid)
		return;
	s->header_time = now;
	s->header_pid = pid;
	struct tm tm;
	char stamp[32];
	localtime_r(&now, &tm);
	int n;
	if (s->format == SYSLOG_FORMAT_POSTLOG) {
		/* Postfix's msg_logger: "Mmm dd hh:mm:ss host prog[pid]: " */
		strftime(stamp, sizeof stamp, "%b %d %H:%M:%S", &tm);
		n = snprintf(s->header, sizeof s->header, "%s %s %s[%ld]: ",
			     stamp, s->host, s->ident, (long)pid);
	} else {
		/* RFC 3164 as a local syslog client sends it (no host). */
		strftime(stamp, sizeof stamp, "%b %e %H:%M:%S", &tm);
		n = snprintf(s->header, sizeof s->header, "<%d>%s %s[%ld]: ",
			     s->pri, stamp, s->ident, (long)pid);
	}
	s->header_len = n < 0 ? 0 : (size_t)n >= sizeof s->header ?
			sizeof s->header - 1 : (size_t)n;
}

static bool is_send_retryable(int err)
{
	return err == ECONNREFUSED || err == ENOTCONN || err == ECONNRESET ||
	       err == EPIPE || err == EDESTADDRREQ;
}

/* One datagram (or one NUL-terminated record on a stream socket). */
static void send_message(struct syslog_sink *s, const char *msg, size_t len)
{
	bool reconnected = false;
	size_t done = 0;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!s->error) {
		ssize_t n = send(s->fd, msg + done, len - done, MSG_NOSIGNAL);
		if (n >= 0) {
			done += (size_t)n;
			if (s->socktype == SOCK_DGRAM || done >= len)
				return;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			long waited = (now.tv_sec - start.tv_sec) * 1000 +
				      (now.tv_nsec - start.tv_nsec) / 1000000;
			if (waited >= SEND_TIMEOUT_MS) {
				s->error = ETIMEDOUT;
				return;
			}
			struct pollfd p = { .fd = s->fd, .events = POLLOUT };
			poll(&p, 1, 50);
			continue;
		}
		if (is_send_retryable(errno) && !reconnected && done == 0) {
			/* The syslog daemon restarted, or postlogd's socket
			 * was made anew: connect once more. */
			reconnected = true;
			int e = sink_connect(s);
			if (e)
				s->error = e;
			continue;
		}
		s->error = errno;
	}
}

static bool ensure_line(struct syslog_sink *s, size_t need)
{
	if (need <= s->line_cap)
		return true;
	size_t cap = s->line_cap ? s->line_cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(s->line, cap);
	if (!p)
		return false;
	s->line = p;
	s->line_cap = cap;
	return true;
}

/* Split point for at most MAX bytes of TEXT: not inside a UTF-8 sequence. */
static size_t split_at(const char *text, size_t len, size_t max)
{
	if (len <= max)
		return len;
	size_t cut = max;
	while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
		cut--;
	return cut ? cut : max;
}

static void send_line(struct syslog_sink *s, const char *data, size_t len)
{
	/* A second guard: control bytes become \ooo. */
	if (!ensure_line(s, len * 4 + 1)) {
		s->error = ENOMEM;
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)data[i];
		if (c < 0x20 || c == 0x7f)
			n += (size_t)sprintf(s->line + n, "\\%03o", c);
		else
			s->line[n++] = (char)c;
	}
	if (n == 0)
		return;  /* an empty line says nothing */

	make_header(s);
	char msg[SYSLOG_MAX_MESSAGE];
	size_t mark = sizeof SYSLOG_CONT_MARK - 1;
	size_t room = sizeof msg - s->header_len -
		      (s->socktype == SOCK_STREAM ? 1 : 0);
	const char *text = s->line;
	bool first = true;
	while (n > 0 && !s->error) {
		size_t lead = first ? 0 : mark + 1;      /* "[...] " */
		size_t body = room - lead;
		size_t take = n;
		if (take > body)
			take = split_at(text, n, body - (mark + 1));  /* " [...]" */
		size_t m = 0;
		memcpy(msg, s->header, s->header_len);
		m = s->header_len;
		if (!first) {
			memcpy(msg + m, SYSLOG_CONT_MARK " ", mark + 1);
			m += mark + 1;
		}
		memcpy(msg + m, text, take);
		m += take;
		if (take < n) {
			memcpy(msg + m, " " SYSLOG_CONT_MARK, mark + 1);
			m += mark + 1;
		}
		if (s->socktype == SOCK_STREAM)
			msg[m++] = '\0';
		send_message(s, msg, m);
		text += take;
		n -= take;
		first = false;
	}
}

size_t syslog_sink_send(struct syslog_sink *s, const char *data, size_t len,
			bool final)
{
	size_t used = 0;
	while (used < len) {
		const char *nl = memchr(data + used, '\n', len - used);
		if (!nl && !final)
			break;
		size_t end = nl ? (size_t)(nl - data) : len;
		if (!s->error)
			send_line(s, data + used, end - used);
		used = nl ? end + 1 : len;
	}
	return used;
}
