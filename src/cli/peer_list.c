/* --peer LIST (repeatable): the networks whose sessions are traced, as
 * Postfix's debug_peer_list names them: entries separated by commas or
 * white space, each an IPv4 or IPv6 address ("[2001:db8::1]" or bare),
 * a network ("192.0.2.0/24", "[2001:db8::]/32"), or a host name,
 * resolved here once to all its addresses. Anything else is refused:
 * Postfix's "/file/name" and "type:table" lookups and "!" exclusions are
 * not implemented. */
#include "peer_list.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "syscall_set.h"
#include "usage.h"

static bool add_net(struct ptrc_config *config, int family,
		    const void *addr, unsigned prefix)
{
	struct peer_net *nets = realloc(config->peers,
					(config->npeers + 1) * sizeof *nets);
	if (!nets)
		return false;
	config->peers = nets;
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	if (family == AF_INET6 && prefix >= 96 && !memcmp(addr, mapped, 12)) {
		/* ::ffff:a.b.c.d: the peers are compared as IPv4 */
		family = AF_INET;
		addr = (const unsigned char *)addr + 12;
		prefix -= 96;
	}
	struct peer_net *n = &nets[config->npeers++];
	memset(n, 0, sizeof *n);
	n->family = family;
	n->prefix = prefix;
	memcpy(n->addr, addr, family == AF_INET ? 4 : 16);
	return true;
}

/* "a.b.c.d[/N]", "x::y[/N]", "[x::y][/N]": false when it is not one. */
static bool parse_address(const char *text, int *family, unsigned char *addr,
			  int *prefix)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	if (len >= 2 && text[0] == '[' && text[len - 1] == ']') {
		text++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof host)
		return false;
	memcpy(host, text, len);
	host[len] = '\0';
	if (inet_pton(AF_INET, host, addr) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, host, addr) == 1)
		*family = AF_INET6;
	else
		return false;
	*prefix = -1;
	if (slash) {
		char *end;
		long n = strtol(slash + 1, &end, 10);
		if (slash[1] < '0' || slash[1] > '9' || *end ||
		    n > (*family == AF_INET ? 32 : 128))
			*prefix = -2;  /* a network with a bad length */
		else
			*prefix = (int)n;
	}
	return true;
}

/* A network's host bits must be zero: Postfix refuses "192.0.2.7/24"
 * too. */
static bool host_bits_clear(const unsigned char *addr, int family,
			    unsigned prefix)
{
	unsigned bits = family == AF_INET ? 32 : 128;
	for (unsigned i = prefix; i < bits; i++)
		if (addr[i / 8] & (0x80u >> (i % 8)))
			return false;
	return true;
}

static enum parse_result add_name(struct ptrc_config *config, const char *name)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	int r = getaddrinfo(name, NULL, &hints, &res);
	if (r != 0) {
		char message[300];
		snprintf(message, sizeof message,
			 "--peer: cannot resolve '%s': %s", name, gai_strerror(r));
		return usage_error("%s", message);
	}
	bool ok = true;
	for (struct addrinfo *a = res; a && ok; a = a->ai_next) {
		if (a->ai_family == AF_INET)
			ok = add_net(config, AF_INET, &((struct sockaddr_in *)
				     a->ai_addr)->sin_addr, 32);
		else if (a->ai_family == AF_INET6)
			ok = add_net(config, AF_INET6, &((struct sockaddr_in6 *)
				     a->ai_addr)->sin6_addr, 128);
	}
	freeaddrinfo(res);
	return ok ? PARSE_OK : usage_error("%s", "out of memory");
}

/* Postfix's "type:table" ("hash:/etc/postfix/peers", "cidr:..."). */
static bool is_table(const char *entry)
{
	size_t n = strspn(entry, "abcdefghijklmnopqrstuvwxyz");
	return n > 0 && entry[n] == ':' && strspn(entry, "0123456789abcdef") < n;
}

static enum parse_result add_entry(struct ptrc_config *config,
				   const char *entry)
{
	int family, prefix;
	unsigned char addr[16] = { 0 };
	if (entry[0] == '!' || entry[0] == '/' || is_table(entry))
		return usage_not_implemented("--peer entry '%s'", entry);
	if (parse_address(entry, &family, addr, &prefix)) {
		if (prefix == -2 || (prefix >= 0 &&
		    !host_bits_clear(addr, family, (unsigned)prefix)))
			return usage_error("--peer: bad network '%s' (ADDRESS/"
					   "LENGTH, host bits zero)", entry);
		if (prefix < 0)
			prefix = family == AF_INET ? 32 : 128;
		return add_net(config, family, addr, (unsigned)prefix) ?
		       PARSE_OK : usage_error("%s", "out of memory");
	}
	if (strchr(entry, '/') || strchr(entry, '[') || strchr(entry, ':'))
		return usage_error("--peer: bad address '%s'", entry);
	return add_name(config, entry);
}

enum parse_result opt_peer(struct option_parse *p, const char *arg)
{
	char *list = strdup(arg), *save = NULL;
	if (!list)
		return usage_error("%s", "out of memory");
	enum parse_result r = PARSE_OK;
	unsigned before = p->config->npeers;
	for (char *e = strtok_r(list, ", \t\n", &save); e && r == PARSE_OK;
	     e = strtok_r(NULL, ", \t\n", &save))
		r = add_entry(p->config, e);
	if (r == PARSE_OK && p->config->npeers == before)
		r = usage_error("--peer '%s': no address or name", arg);
	free(list);
	return r;
}

enum parse_result peer_list_finish(struct ptrc_config *config)
{
	if (!config->npeers && !config->transcript_dir && !config->pcap_path)
		return PARSE_OK;
	if (config->crash || config->command == CMD_STACK ||
	    config->command == CMD_REPORT || config->command == CMD_TRIAGE)
		return usage_error("%s", config->npeers ?
				   "--peer filters the trace: for run and "
				   "attach, without --crash" :
				   "--transcript and --pcap record what a traced "
				   "process says: for run and attach, without "
				   "--crash");
	config->no_seccomp = true;
	if (config->lcall_spec && !config->lcall_syscalls) {
		config->trace_set = calloc(PTRC_ARCH_COUNT, cli_set_arch_bytes());
		if (!config->trace_set)
			return usage_error("%s", "out of memory");
		config->lcall_syscalls = true;
	}
	return PARSE_OK;
}
