/* A capture file of synthesised TCP streams (src/output/pcap_stream.c,
 * written with libpcap): for --pcap, the connections ptrc saw inside the
 * traced processes, as packets between their real endpoints: a
 * handshake, the data in segments with consistent sequence and
 * acknowledgement numbers, and a FIN from each side; raw IP (LINKTYPE_RAW),
 * correct IP and TCP checksums, timestamps when ptrc saw each call. */
#ifndef PTRC_PCAP_STREAM_H
#define PTRC_PCAP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pcap_writer;

struct tcp_flow {
	int family;                      /* AF_INET or AF_INET6 */
	unsigned char client[16], server[16];  /* network order */
	uint16_t client_port, server_port;     /* host order */
	uint32_t client_seq, server_seq; /* the next byte each side sends */
};

/* Is ptrc built with libpcap? */
bool pcap_stream_available(void);
/* Create PATH (0600, not over a symbolic link); NULL with a one-line
 * reason in ERR. */
struct pcap_writer *pcap_writer_open(const char *path, char *err,
				     size_t err_size);
/* Flush and close; false when a write failed. */
bool pcap_writer_close(struct pcap_writer *w);

/* The three-way handshake of F (its sequence numbers set here). */
void pcap_flow_open(struct pcap_writer *w, struct tcp_flow *f);
/* LEN bytes from the client (FROM_CLIENT) or the server, acknowledged. */
void pcap_flow_data(struct pcap_writer *w, struct tcp_flow *f,
		    bool from_client, const unsigned char *data, size_t len);
/* FIN and ACK each way, the side that closed (CLIENT_FIRST) first; the
 * file is flushed then. */
void pcap_flow_close(struct pcap_writer *w, struct tcp_flow *f,
		     bool client_first);

#endif
