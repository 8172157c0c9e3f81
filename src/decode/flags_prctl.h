/* The prctl and arch_prctl value printers (flags_prctl_vals.c,
 * flags_prctl_vec.c) that flags_prctl.c's and flags_arch_prctl.c's layouts
 * and return printers use. */
#ifndef PTRC_DECODE_FLAGS_PRCTL_H
#define PTRC_DECODE_FLAGS_PRCTL_H

#include <stdint.h>

#include "printers.h"
#include "xlat.h"

/* Argument printers, named after what they print (flags_prctl_vals.c). */
void prctl_print_hex(const struct arg_ctx *ctx);
void prctl_print_udec(const struct arg_ctx *ctx);
void prctl_print_sdec(const struct arg_ctx *ctx);      /* the word, signed */
void prctl_print_int(const struct arg_ctx *ctx);       /* (int), a pid */
void prctl_print_uint_ref(const struct arg_ctx *ctx);  /* [%u] at exit */
void prctl_print_kptr_ref(const struct arg_ctx *ctx);  /* [0x7f...] at exit */
void prctl_print_signal(const struct arg_ctx *ctx);
void prctl_print_signal_ref(const struct arg_ctx *ctx);
void prctl_print_comm_in(const struct arg_ctx *ctx);
void prctl_print_comm_out(const struct arg_ctx *ctx);
void prctl_print_dumpable(const struct arg_ctx *ctx);
void prctl_print_ptracer(const struct arg_ctx *ctx);
void prctl_print_tsc(const struct arg_ctx *ctx);
void prctl_print_tsc_ref(const struct arg_ctx *ctx);
void prctl_print_unalign(const struct arg_ctx *ctx);
void prctl_print_unalign_ref(const struct arg_ctx *ctx);
void prctl_print_secbits(const struct arg_ctx *ctx);
void prctl_print_fp_mode(const struct arg_ctx *ctx);
void prctl_print_capability(const struct arg_ctx *ctx);
void prctl_print_cap_ambient_op(const struct arg_ctx *ctx);
void prctl_print_mce_kill(const struct arg_ctx *ctx);
void prctl_print_mce_kill_policy(const struct arg_ctx *ctx);
void prctl_print_set_mm(const struct arg_ctx *ctx);
void prctl_print_vma_op(const struct arg_ctx *ctx);
void prctl_print_vma_name(const struct arg_ctx *ctx);
void prctl_print_seccomp_mode(const struct arg_ctx *ctx);
void prctl_print_spec_cmd(const struct arg_ctx *ctx);
void prctl_print_spec_set(const struct arg_ctx *ctx);
void prctl_print_sud_cmd(const struct arg_ctx *ctx);
void prctl_print_sched_core_cmd(const struct arg_ctx *ctx);
void prctl_print_sched_core_pidtype(const struct arg_ctx *ctx);
void prctl_print_cookie_ref(const struct arg_ctx *ctx); /* [0x...] u64 */

/* Vector lengths, pointer authentication keys, tagged addresses
 * (arm64's, decoded on every arch as strace 6.1 does; flags_prctl_vec.c). */
void prctl_print_sve_vl(const struct arg_ctx *ctx);
void prctl_print_sme_vl(const struct arg_ctx *ctx);
void prctl_print_pac_reset_keys(const struct arg_ctx *ctx);
void prctl_print_pac_keys(const struct arg_ctx *ctx);
void prctl_print_tagged_addr(const struct arg_ctx *ctx);
void prctl_ret_sve_vl(struct strbuf *sb, enum xlat_style style, uint64_t v);
void prctl_ret_sme_vl(struct strbuf *sb, enum xlat_style style, uint64_t v);
void prctl_ret_tagged_addr(struct strbuf *sb, enum xlat_style style,
			   uint64_t v);

/* A return value in hex with the names of its bits in parentheses, as
 * strace's RVAL_HEX|RVAL_STR with an SPFF_AUXSTR_MODE text: "0x11
 * (SECBIT_NOROOT|SECBIT_KEEP_CAPS)", the table's zero name for 0, no
 * note when no bit has a name or with -X raw (flags_prctl_vals.c). */
void prctl_ret_flags(struct strbuf *sb, enum xlat_style style,
		     const struct xlat *x, uint64_t v);

#endif
