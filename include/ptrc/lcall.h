/* Library-call tracing (-l): which functions to hook (patterns), where they
 * are in a process (modules and their ELF symbols), how their arguments
 * print (prototypes), how to step over the instruction a breakpoint
 * replaced (insn), and the tracer: the engine's extension that puts the
 * breakpoints in and reports the calls to the mode (src/lcall/tracer.c). */
#ifndef PTRC_LCALL_H
#define PTRC_LCALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "ptrc/arch.h"
#include "ptrc/decode.h"
#include "ptrc/strbuf.h"

/* ---- patterns (src/lcall/patterns.c) ----
 * -l SPEC: comma-separated PATTERNs, each FUNC_GLOB or MODULE_GLOB:FUNC_GLOB
 * ("malloc", "SSL_*", "libssl.so.*:*"). Globs are fnmatch(3) patterns; a
 * module glob matches the module's file name (basename) or its full path.
 * A PATTERN after "!" leaves out what it matches from what the others
 * select (ltrace's -e '*-lt_add', "-l 'lt_*,!lt_add'"). */
struct lcall_pattern {
	char *module_glob;  /* NULL: any module */
	char *func_glob;
	bool exclude;       /* "!PATTERN" */
};

struct lcall_patterns {
	struct lcall_pattern *items;
	size_t count;
};

/* Append the patterns of SPEC to OUT. Blanks around an item are dropped;
 * the first ':' of an item ends its module glob. Returns 0, or -1 with a
 * one-line reason in ERR (an empty pattern, an empty module or function
 * part) and OUT as it was. */
int lcall_patterns_parse(const char *spec, struct lcall_patterns *out,
			 char *err, size_t errlen);
void lcall_patterns_free(struct lcall_patterns *p);
/* Is there a pattern without "!" (one that selects anything)? */
bool lcall_patterns_select_some(const struct lcall_patterns *p);
/* Does a pattern without "!" select function FUNC of the module at PATH,
 * and no "!" pattern leave it out? */
bool lcall_patterns_match(const struct lcall_patterns *p, const char *path,
			  const char *func);
/* Does GLOB (a -L argument) name the module at PATH (basename or path)? */
bool lcall_module_glob_matches(const char *glob, const char *path);

/* ---- modules and symbols (src/lcall/modules.c) ---- */
struct lcall_module {
	char *path;          /* as /proc/PID/maps shows it */
	const char *name;    /* its basename, inside path */
	uint64_t start, end; /* lowest start, highest end of its mappings */
	uint64_t bias;       /* runtime address = st_value + bias */
	uint64_t map_start;  /* start of one of its mappings, for map_files */
	uint64_t map_end;
	dev_t dev;
	ino_t ino;
};

/* The ELF objects mapped by PID that have an executable mapping, in
 * address order (main executable, ld.so and libraries; not [vdso]). The
 * mappings of one (device, inode, path) make one module; it is listed
 * when its file opens as ELF and one of its PT_LOADs was mapped at one of
 * those mappings (which gives the bias). Returns 0 or -1 with errno. */
int lcall_modules_read(pid_t pid, struct lcall_module **mods, size_t *count);
void lcall_modules_free(struct lcall_module *mods, size_t count);
/* The module whose [start, end) holds ADDR, or NULL. */
const struct lcall_module *lcall_module_at(const struct lcall_module *mods,
					   size_t count, uint64_t addr);

/* Called once per distinct function address of module M that PATTERNS
 * select: NAME is the symbol's name without any "@VERSION" (of the
 * selected aliases, one without a leading underscore preferred, then the
 * shortest), valid during the call; ADDR its runtime address, inside
 * [M->start, M->end). IS_IFUNC: an STT_GNU_IFUNC, whose address is the
 * resolver, not the function. Two versions of a function at two
 * addresses are two calls with the same NAME. */
typedef void (*lcall_func_cb)(void *ctx, const struct lcall_module *m,
			      const char *name, uint64_t addr, bool is_ifunc);
/* Walk M's defined function symbols (.dynsym, and .symtab when the file
 * has one), reading the file through /proc/PID/map_files (so that a
 * chrooted or deleted file still opens) or else its path. Returns the
 * number of callbacks made, or -1 when the file cannot be read as ELF. */
int lcall_module_functions(pid_t pid, const struct lcall_module *m,
			   const struct lcall_patterns *patterns,
			   lcall_func_cb cb, void *ctx);
/* Runtime address of the defined symbol NAME in M (any type but absolute
 * and thread-local ones; the default version when there are several), 0
 * when absent. */
uint64_t lcall_module_symbol(pid_t pid, const struct lcall_module *m,
			     const char *name);

/* ---- prototypes and argument printing (src/lcall/prototypes.tbl,
 * src/lcall/format.c) ---- */
struct lcall_proto;

/* The prototype of library function NAME, or NULL. */
const struct lcall_proto *lcall_proto_find(const char *name);

/* One library call at its entry breakpoint. */
struct lcall_call {
	pid_t tid;
	enum ptrc_arch arch;
	const char *name;
	const struct lcall_proto *proto;  /* NULL: raw register arguments */
	uint64_t args[6];                 /* the argument registers at entry */
};


/* Append the arguments known at entry, each followed by ", " when more
 * follow (no name, no parentheses). Returns the index of the first
 * argument left for the return (the number of arguments when none). */
unsigned lcall_decode_entry(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c);
/* Append the arguments from FIRST on, as the function returned RET. */
void lcall_decode_exit_args(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c, unsigned first,
			    uint64_t ret);
/* The argument list as items, for --json: each item's text is appended
 * to SB, [start, end) in ITEMS[i], with its register (has_raw false for
 * the "..." of a variadic call). RETURNED: the call returned RET, so the
 * arguments it fills print as it left them; else the list stops before
 * the first of those. Returns the number of items. */
#define LCALL_MAX_ITEMS 7  /* six registers, then "..." */
struct lcall_item {
	size_t start, end;
	uint64_t raw;
	bool has_raw;
};
unsigned lcall_decode_items(struct decoder *d, struct strbuf *sb,
			    const struct lcall_call *c, bool returned,
			    uint64_t ret, struct lcall_item *items);
/* Append the return value as its type prints ("13", "NULL", "0x55..."). */
void lcall_decode_return(struct decoder *d, struct strbuf *sb,
			 const struct lcall_call *c, uint64_t ret);
/* -e dump: append hex and ASCII dumps (decode_hexdump's lines) of the
 * data buffers of C: the ones read at entry (EXITING false: SSL_write's)
 * or filled by the call (EXITING true: SSL_read's, RET bytes). */
void lcall_decode_dumps(struct decoder *d, struct strbuf *sb,
			const struct lcall_call *c, bool exiting, uint64_t ret);

/* ---- the tracer (src/lcall/tracer.c and its files) ---- */
struct engine;
struct ptrc_config;
struct tracee;

/* A call as the tracer reports it to the mode: at its entry, and at its
 * return (or when it will not return: the thread exited, longjmp'd past
 * it, or ptrc detached). */
struct lcall_event {
	pid_t tid;
	const char *name;          /* the function */
	const char *module;        /* basename of the module defining it */
	uint64_t args[6];          /* the argument registers at entry */
	unsigned depth;            /* calls of this thread in progress below */
	struct timespec entry_time;
};

/* Where the tracer's events go: the mode's callbacks, and their MODE. A
 * call's RETURNED false: it will not return (the line ends " = ?"). */
struct lcall_sink {
	void (*call_entry)(void *mode, struct tracee *t,
			   const struct lcall_event *ev);
	void (*call_exit)(void *mode, struct tracee *t,
			  const struct lcall_event *ev, uint64_t ret,
			  bool returned);
	void *mode;
};

/* Trace the library calls CONFIG's -l selects in E's tracees: the tracer
 * registers itself as E's extension (ptrc/engine_ext.h), which frees it.
 * Call before engine_spawn or engine_attach. Exits with a message on a
 * bad pattern (options.c has checked them already). */
void lcall_tracer_start(struct engine *e, const struct ptrc_config *config,
			const struct lcall_sink *sink);
/* How many of T's library calls are in progress (0 without -l): its lines
 * indent by it. */
unsigned lcall_depth(const struct tracee *t);

/* ---- instructions displaced by a breakpoint (src/lcall/insn_*.c) ---- */

/* The breakpoint instruction of ARCH and its length (int3; brk #0), 0 for
 * an architecture without library-call tracing (i386). */
size_t insn_breakpoint(enum ptrc_arch arch, uint8_t out[4]);

/* How to execute, out of line, the instruction a breakpoint replaced. */
enum insn_kind {
	INSN_UNSUPPORTED,  /* cannot be displaced or emulated */
	INSN_SKIP,         /* no effect to reproduce (endbr64, bti, nop) */
	INSN_DISPLACE,     /* copy (fixed up) to a slot and single-step it */
	INSN_EMULATE,      /* insn_emulate_* computes its effect */
};

struct insn_plan {
	enum insn_kind kind;
	unsigned len;       /* bytes of the instruction */
	/* INSN_DISPLACE: the bytes to execute at the slot (len bytes), made
	 * by insn_relocate; after the single step, a PC of slot + len means
	 * orig + len; RELATIVE_BRANCH: any other PC is translated by
	 * (orig - slot) (the branch's rel field is copied unchanged); other
	 * branches (ret, jmp *%rax, br x16) leave an absolute PC. IS_CALL:
	 * the return address the call left, slot + len, becomes orig + len:
	 * on x86_64 the word at the stack pointer (call rel32, call *...),
	 * on aarch64 x30 (blr, blraa...). The flags are false for the other
	 * kinds (insn_emulate_* does all of an INSN_EMULATE). */
	bool relative_branch;
	bool is_call;
	bool pc_relative;   /* reads memory relative to the PC */
	int disp_offset;    /* x86_64, PC_RELATIVE: offset of the disp32 */
};

/* Classify the instruction at CODE (AVAIL bytes readable) that sits at
 * address ORIG. Returns 0 with PLAN filled (kind may be INSN_UNSUPPORTED),
 * -1 when the bytes do not decode: an unknown or invalid encoding, more
 * than AVAIL bytes, or one whose length depends on the CPU (x86_64 66 on a
 * rel32 branch). x86_64 INSN_UNSUPPORTED: syscall, int3, int, hlt, far
 * branches, ud2, xbegin, 66 on a near branch or ret, an eip-relative
 * operand (67 prefix); aarch64: svc, brk and the other exceptions, udf,
 * exclusive loads and stores (the step clears the monitor), ldr literal
 * to a SIMD&FP register. An i386 tracee's instructions are all
 * INSN_UNSUPPORTED. */
int insn_plan(enum ptrc_arch arch, const uint8_t *code, size_t avail,
	      uint64_t orig, struct insn_plan *plan);
/* The bytes to single-step at address SLOT for the instruction of PLAN
 * from ORIG (a rip-relative displacement re-aimed at the same target).
 * Returns 0, or -1 when the target is out of the displacement's reach
 * from SLOT or PLAN is not INSN_DISPLACE. */
int insn_relocate(enum ptrc_arch arch, const struct insn_plan *plan,
		  const uint8_t *code, uint64_t orig, uint64_t slot,
		  uint8_t *out);

/* aarch64 user registers as NT_PRSTATUS gives them (struct user_pt_regs). */
struct insn_a64_regs {
	uint64_t x[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
};
/* INSN_EMULATE on aarch64 (adr, adrp, b, bl, b.cond, cbz/cbnz, tbz/tbnz,
 * ldr/ldrsw/prfm literal): apply INSN, the instruction at REGS->pc (its
 * original address), to REGS, PC included. LOAD reads LEN bytes of tracee
 * memory for the literal loads, returning 0 when it read them all.
 * Returns 0, or -1 (REGS unchanged) when INSN is not INSN_EMULATE or the
 * load failed. */
int insn_emulate_a64(uint32_t insn, struct insn_a64_regs *regs,
		     int (*load)(void *ctx, uint64_t addr, void *buf, size_t len),
		     void *ctx);

#endif
