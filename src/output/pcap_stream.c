/* See ptrc/pcap_stream.h. The packets are built here, byte by byte in
 * network order; libpcap writes the file. Without libpcap (no
 * PTRC_HAVE_PCAP) every call is a stub and --pcap is refused. */
#include "ptrc/pcap_stream.h"

#include <stdio.h>

#ifdef PTRC_HAVE_PCAP
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <pcap/pcap.h>

#define SEGMENT_MAX 32768  /* payload per packet, well under IPv4's 64 KiB */
#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_PSH 0x08
#define TCP_ACK 0x10

struct pcap_writer {
	pcap_t *pcap;
	pcap_dumper_t *dumper;
	unsigned char packet[60 + SEGMENT_MAX];
};

bool pcap_stream_available(void)
{
	return true;
}

struct pcap_writer *pcap_writer_open(const char *path, char *err,
				     size_t err_size)
{
	/* opened here, safely, and handed to libpcap */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		      0600);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "wb");
	struct pcap_writer *w = f ? calloc(1, sizeof *w) : NULL;
	if (!w) {
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		else if (fd >= 0)
			close(fd);
		return NULL;
	}
	w->pcap = pcap_open_dead(DLT_RAW, 65535);
	w->dumper = w->pcap ? pcap_dump_fopen(w->pcap, f) : NULL;
	if (!w->dumper) {
		snprintf(err, err_size, "cannot write a capture to %s", path);
		if (w->pcap)
			pcap_close(w->pcap);
		fclose(f);
		free(w);
		return NULL;
	}
	return w;
}

bool pcap_writer_close(struct pcap_writer *w)
{
	if (!w)
		return true;
	bool ok = pcap_dump_flush(w->dumper) == 0;
	pcap_dump_close(w->dumper);
	pcap_close(w->pcap);
	free(w);
	return ok;
}

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

/* The Internet checksum's running sum of LEN bytes. */
static uint32_t sum16(uint32_t sum, const unsigned char *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The IP header for a TCP segment of TCP_LEN bytes at P; its length. */
static size_t ip_header(unsigned char *p, int family, const unsigned char *src,
			const unsigned char *dst, size_t tcp_len)
{
	if (family == AF_INET6) {
		memset(p, 0, 40);
		p[0] = 0x60;
		put16(p + 4, (uint32_t)tcp_len);
		p[6] = 6;   /* TCP */
		p[7] = 64;  /* hop limit */
		memcpy(p + 8, src, 16);
		memcpy(p + 24, dst, 16);
		return 40;
	}
	memset(p, 0, 20);
	p[0] = 0x45;
	put16(p + 2, (uint32_t)(20 + tcp_len));
	p[6] = 0x40;  /* don't fragment */
	p[8] = 64;
	p[9] = 6;
	memcpy(p + 12, src, 4);
	memcpy(p + 16, dst, 4);
	put16(p + 10, fold(sum16(0, p, 20)));
	return 20;
}

/* One segment of F, from the client or the server, now. */
static void segment(struct pcap_writer *w, struct tcp_flow *f, bool from_client,
		    unsigned flags, const unsigned char *data, size_t len)
{
	const unsigned char *src = from_client ? f->client : f->server;
	const unsigned char *dst = from_client ? f->server : f->client;
	size_t alen = f->family == AF_INET6 ? 16 : 4;
	size_t ip = ip_header(w->packet, f->family, src, dst, 20 + len);
	unsigned char *t = w->packet + ip;
	memset(t, 0, 20);
	put16(t, from_client ? f->client_port : f->server_port);
	put16(t + 2, from_client ? f->server_port : f->client_port);
	put32(t + 4, from_client ? f->client_seq : f->server_seq);
	if (flags & TCP_ACK)
		put32(t + 8, from_client ? f->server_seq : f->client_seq);
	t[12] = 5 << 4;
	t[13] = (unsigned char)flags;
	put16(t + 14, 65535);  /* window */
	if (len)
		memcpy(t + 20, data, len);
	/* the checksum over the pseudo-header and the segment */
	unsigned char pseudo[8] = { 0 };
	put32(pseudo, (uint32_t)(20 + len));
	pseudo[7] = 6;
	uint32_t sum = sum16(0, src, alen);
	sum = sum16(sum, dst, alen);
	sum = sum16(sum, pseudo, 8);
	put16(t + 16, fold(sum16(sum, t, 20 + len)));
	struct pcap_pkthdr h;
	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = (bpf_u_int32)(ip + 20 + len);
	pcap_dump((u_char *)w->dumper, &h, w->packet);
	uint32_t advance = (uint32_t)len + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
	if (from_client)
		f->client_seq += advance;
	else
		f->server_seq += advance;
}

void pcap_flow_open(struct pcap_writer *w, struct tcp_flow *f)
{
	f->client_seq = 1000;  /* fixed: the stream reads the same each time */
	f->server_seq = 5000;
	segment(w, f, true, TCP_SYN, NULL, 0);
	segment(w, f, false, TCP_SYN | TCP_ACK, NULL, 0);
	segment(w, f, true, TCP_ACK, NULL, 0);
}

void pcap_flow_data(struct pcap_writer *w, struct tcp_flow *f,
		    bool from_client, const unsigned char *data, size_t len)
{
	while (len) {
		size_t n = len < SEGMENT_MAX ? len : SEGMENT_MAX;
		segment(w, f, from_client, TCP_PSH | TCP_ACK, data, n);
		data += n;
		len -= n;
	}
	segment(w, f, !from_client, TCP_ACK, NULL, 0);
}

void pcap_flow_close(struct pcap_writer *w, struct tcp_flow *f,
		     bool client_first)
{
	segment(w, f, client_first, TCP_FIN | TCP_ACK, NULL, 0);
	segment(w, f, !client_first, TCP_FIN | TCP_ACK, NULL, 0);
	segment(w, f, client_first, TCP_ACK, NULL, 0);
	pcap_dump_flush(w->dumper);  /* each ended stream is in the file */
}

#else  /* no libpcap */

bool pcap_stream_available(void)
{
	return false;
}

struct pcap_writer *pcap_writer_open(const char *path, char *err,
				     size_t err_size)
{
	snprintf(err, err_size, "%s: ptrc was built without libpcap", path);
	return NULL;
}

bool pcap_writer_close(struct pcap_writer *w)
{
	(void)w;
	return true;
}

void pcap_flow_open(struct pcap_writer *w, struct tcp_flow *f)
{
	(void)w, (void)f;
}

void pcap_flow_data(struct pcap_writer *w, struct tcp_flow *f,
		    bool from_client, const unsigned char *data, size_t len)
{
	(void)w, (void)f, (void)from_client, (void)data, (void)len;
}

void pcap_flow_close(struct pcap_writer *w, struct tcp_flow *f,
		     bool client_first)
{
	(void)w, (void)f, (void)client_first;
}

#endif
