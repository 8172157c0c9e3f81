/* The structures socket options carry (structs_sockopt_types.c), printed
 * by the option printers of structs_sockopt.c. Each takes the option's
 * address and length (setsockopt's optlen, getsockopt's returned one) and
 * prints the address when the length or the memory does not hold them
 * as strace 6.1 requires. */
#ifndef PTRC_DECODE_STRUCTS_SOCKOPT_H
#define PTRC_DECODE_STRUCTS_SOCKOPT_H

#include <stdint.h>

#include "printers.h"

/* setsockopt: the whole structure or the address */
void print_set_linger(const struct arg_ctx *ctx, uint64_t addr, int len);
void print_ip_mreq(const struct arg_ctx *ctx, uint64_t addr, int len);
void print_ipv6_mreq(const struct arg_ctx *ctx, uint64_t addr, int len);
void print_group_req(const struct arg_ctx *ctx, uint64_t addr, int len);
void print_tpacket_req(const struct arg_ctx *ctx, uint64_t addr, int len);
void print_packet_mreq(const struct arg_ctx *ctx, uint64_t addr, int len);

/* getsockopt: as many fields as LEN covers, a cut field in hex */
void print_get_linger(const struct arg_ctx *ctx, uint64_t addr, int len);
void print_get_ucred(const struct arg_ctx *ctx, uint64_t addr, int len);
void print_tpacket_stats(const struct arg_ctx *ctx, uint64_t addr, int len);

#endif
