/* Stacks of ptrace-stopped threads, walked into plain data.
 *
 * The caller owns ptrace: every thread passed to stack_unwind_thread() must
 * already be ptrace-stopped by the caller (seized and interrupted, or in a
 * syscall/signal stop). This layer only reads registers and memory.
 *
 * One session per traced process keeps what is slow to rebuild: the libdwfl
 * modules (ELF and DWARF of every mapped file) and a cache of symbolized pcs.
 * Strings in frames and modules belong to the session: they stay valid until
 * stack_session_close(), whatever else is called meanwhile. */
#ifndef PTRC_STACK_H
#define PTRC_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>
#include "ptrc/strbuf.h"

enum stack_backend {
	STACK_BACKEND_LIBDW,      /* libdwfl's unwinder: CFI, then frame pointers */
	STACK_BACKEND_LIBUNWIND,  /* libunwind-ptrace; same-arch tracees only */
};

#define STACK_DEFAULT_MAX_FRAMES 256

struct stack_frame {
	uint64_t pc;              /* as unwound: a return address in callers */
	bool activation;          /* pc is exact (frame 0, interrupted by a
	                           * signal): lookups use pc, not pc-1 */
	bool inlined;             /* a virtual frame: an inlined call inside the
	                           * next real frame, which has the same pc */
	const char *function;     /* demangled when possible, or NULL */
	uint64_t function_offset; /* lookup pc - symbol start; real frames with
	                           * an ELF symbol only, else 0 */
	const char *file;         /* source file, or NULL */
	int line, column;         /* 0 when unknown */
	const char *module;       /* mapped file (path or [vdso]), or NULL */
	uint64_t module_offset;   /* pc - load bias: the address to give
	                           * `addr2line -e MODULE` */
	const struct stack_frame_vars *vars; /* arguments and locals, when
	                           * stack_read_values() read them, or NULL */
};

/* How far a walk went. */
enum stack_walk {
	STACK_WALK_COMPLETE, /* reached the outermost frame */
	STACK_WALK_PARTIAL,  /* some frames, then stop_reason */
	STACK_WALK_NONE,     /* not one frame: stop_reason says why */
};

struct stack_thread {
	pid_t tid;
	char comm[16];            /* /proc/PID/task/TID/comm, raw bytes, or "" */
	struct stack_frame *frames;
	size_t nframes;
	enum stack_walk walk;
	/* Why the walk ended early (frame cap, missing CFI, thread gone...);
	 * NULL when it reached the outermost frame. Owned by the thread. */
	char *stop_reason;
	bool vanished;            /* the thread no longer exists (ESRCH) */
};

struct stack_module {
	const char *path;         /* as mapped: a path, or [vdso] */
	uint64_t start, end;      /* mapped address range */
	const char *build_id;     /* lowercase hex, or NULL */
	const char *elf_file;     /* the ELF file libdwfl read, or NULL */
	const char *debug_file;   /* separate debug info found, or NULL */
};

struct stack_session;

/* Reports the modules of PID; for STACK_BACKEND_LIBDW also attaches libdwfl's
 * thread state (assuming the caller keeps threads ptrace-stopped). NULL on
 * failure, with a malloc'd message in *error (when error is not NULL). */
struct stack_session *stack_session_open(pid_t pid, enum stack_backend backend,
		char **error);

/* A session over a core file (libdw backend): modules from the core's
 * NT_FILE note and dumped headers (EXE, when not NULL, is the executable
 * instead of the one the core names), each thread's registers from its
 * NT_PRSTATUS. The core is hostile input: a truncated or corrupt one gives
 * NULL with a one-line message in *error. Its threads walk with
 * stack_unwind_thread() like a live process's (comm stays ""). */
struct stack_session *stack_session_open_core(const char *core,
		const char *exe, char **error);
/* The dumped process's pid (a core session) or the traced one. */
pid_t stack_session_pid(const struct stack_session *s);
/* A core session's threads, in the core's order (the thread that got the
 * signal first, as the kernel writes them). *TIDS malloc'd. 0, or -1. */
int stack_session_core_tids(struct stack_session *s, pid_t **tids,
		size_t *n);

/* What a core's notes say of its crash, for a crash report from a core.
 * Pointers go into the core (valid until stack_session_close); every
 * byte is the core's, hostile: escape before printing. */
struct stack_core_facts {
	pid_t tid;                 /* the thread that got the signal (its
	                            * NT_PRSTATUS has pr_cursig, or the
	                            * first one, the dumping thread), 0 */
	int cursig;                /* its pr_cursig, 0 when not set */
	const void *regs;          /* its pr_reg: an NT_PRSTATUS register */
	size_t regs_size;          /* set of ptrc/arch_regs.h; NULL, 0 */
	const void *siginfo;       /* NT_SIGINFO, the dumped process's */
	size_t siginfo_size;       /* siginfo layout (WORD); NULL, 0 */
	unsigned word;             /* the dumped process's word: 4 or 8 */
	char fname[17];            /* NT_PRPSINFO's pr_fname, "" */
	const char *psargs;        /* pr_psargs: the command line's first */
	size_t psargs_len;         /* 80 bytes, arguments joined by spaces */
	const char *exe;           /* NT_FILE's path of the file mapped at
	                            * AT_ENTRY (NT_AUXV), or NULL */
	struct timespec written;   /* the core file's mtime */
};
int stack_session_core_facts(struct stack_session *s,
		struct stack_core_facts *out);
/* The core's memory around ADDR: the PT_LOAD segment holding it as
 * "LO-HI PERMS OFFSET PATH" (PATH from NT_FILE), or when none does the
 * nearest below and above. Each malloc'd or NULL. */
void stack_session_core_mapping(struct stack_session *s, uint64_t addr,
		char **at, char **below, char **above);

/* The tracee mapped or unmapped something: the next walk re-reads
 * /proc/PID/maps, and re-reports modules only when the file mappings
 * really changed (anonymous mmaps, the heap and stacks cost nothing). */
void stack_session_mappings_changed(struct stack_session *s);

/* The tracee called execve: the next walk starts afresh (new executable,
 * maybe a new architecture). */
void stack_session_exec(struct stack_session *s);

/* Walks TID into OUT (at most MAX_FRAMES frames, inlined ones included; 0
 * means STACK_DEFAULT_MAX_FRAMES). Returns OUT->walk, or -1 with errno when
 * no result could be built at all (out of memory). Always leaves OUT fit for
 * stack_thread_free(). */
int stack_unwind_thread(struct stack_session *s, pid_t tid,
		struct stack_thread *out, size_t max_frames);
void stack_thread_free(struct stack_thread *t);

/* The modules mapped now, with build-ids (for crash reports). The array is
 * malloc'd (free() it); its strings belong to the session. */
int stack_session_modules(struct stack_session *s, struct stack_module **out,
		size_t *n);

void stack_session_close(struct stack_session *s);

/* Where libdwfl looks for separate debug info, for Dwfl_Callbacks'
 * debuginfo_path: PTRC_DEBUGINFO_PATH when set, else NULL (libdw's default
 * ":.debug:/usr/lib/debug"). The syntax is elfutils' --debuginfo-path: a
 * colon-separated list; an empty entry is the file's own directory, a
 * relative one is below it, an absolute DIR is searched for
 * DIR/FILE-DIR/DEBUGLINK and DIR/.build-id/xx/rest.debug. Read once. */
char **stack_debuginfo_path(void);

/* Bounds libdw's debuginfod queries for DWFL (any Dwfl ptrc makes): a
 * query that receives nothing for 5 s is cancelled, and debuginfod is not
 * asked again by this ptrc (DEBUGINFOD_URLS is unset). */
struct Dwfl;
void stack_bound_debuginfod(struct Dwfl *dwfl);

/* A new Dwfl for files read offline (dwfl_report_offline): files by
 * build-id, separate debug info through the debug-file cache and the
 * debuginfo path above, debuginfod bounded; NULL on failure. */
struct Dwfl *stack_offline_dwfl_begin(void);

/* ---- Values: a frame's arguments and local variables from DWARF, as
 * gdb's `bt full` shows them (src/stack/values.c). */
enum stack_var_status {
	STACK_VAR_OK,
	STACK_VAR_OPTIMIZED_OUT,  /* no location for this pc, or one that needs
	                           * a register not recovered in this frame */
	STACK_VAR_ERROR,          /* the object's memory cannot be read */
	STACK_VAR_UNSUPPORTED,    /* a type ptrc does not print */
};

struct stack_var {
	const char *name;         /* from DWARF (not escaped) */
	char *type;               /* C type name, escaped */
	char *value;              /* as gdb prints it, escaped printable ASCII;
	                           * "<optimized out>", "<error: ...>" */
	enum stack_var_status status;
	bool param;               /* a formal parameter; else a local */
};

struct stack_frame_vars {
	struct stack_var *vars;   /* parameters first, in order, then locals,
	                           * innermost block first */
	size_t nvars;
	size_t more;              /* variables left out past the per-frame cap */
};

struct stack_values;

/* Reads the arguments and locals (LOCALS false: arguments only) of the
 * first MAX_FRAMES frames of T, a walk of the ptrace-stopped thread T->tid
 * made with S, and points each frame's vars at them. REGS (REGS_SIZE
 * bytes of NT_PRSTATUS) are the thread's registers, or NULL to read them.
 * Frames above the innermost get their registers from CFI, only those a
 * call preserves. NULL when out of memory; frames without DWARF keep
 * vars NULL. */
struct stack_values *stack_read_values(struct stack_session *s,
		struct stack_thread *t, const void *regs, size_t regs_size,
		size_t max_frames, bool locals);
/* Frees what stack_read_values() made, and points T's frames at nothing. */
void stack_values_free(struct stack_values *v);

/* "    arg  NAME = VALUE" / "    local NAME = VALUE" lines of one frame
 * (print_values.c; stack_print_text calls it for frames with vars). */
void stack_print_vars_text(struct strbuf *sb, const struct stack_frame_vars *v);
/* ,"params":[..],"locals":[..] of one frame: objects {"name","type",
 * "value","status"} (print_values.c; stack_print_json calls it). */
void stack_print_vars_json(struct strbuf *sb, const struct stack_frame_vars *v);

const char *stack_backend_name(enum stack_backend backend);
/* "libdw" or "libunwind" -> backend; -1 when unknown. */
int stack_backend_from_name(const char *name);

/* ---- Printers: what ptrc prints of stacks (`ptrc stack`, crash reports,
 * -k), appended to SB. Text (src/stack/print_text.c) escapes every byte
 * taken from the tracee (names, paths, comm) with escape_bare, JSON
 * (src/stack/print_json.c) with json_string: no name can move the cursor,
 * pose as another line, or break the JSON. A long stack (a stack overflow)
 * keeps its first STACK_PRINT_HEAD and last STACK_PRINT_TAIL frames, with a
 * note of how many were left out between. */
#define STACK_PRINT_HEAD 64
#define STACK_PRINT_TAIL 32
/* The most frames ptrc walks per thread for a report or a snapshot: a stack
 * overflow of 8 MiB in frames of 64 bytes still fits. */
#define STACK_PRINT_MAX_FRAMES 200000

/* "Thread 1234 (comm)MARK:\n" then one line per frame:
 *   #0  0x00007f... in write_null+0x1a at crash_null.c:12:5
 *   #1  0x00007f... in inlined_fn (inlined) at x.c:3:2
 *   #2  0x00007f... in ?? from /lib/libfoo.so+0x1479
 *   ... 12000 frames omitted ...
 * and "(walk stopped: REASON)" when it ended early ("(no stack: REASON)"
 * without a frame). The module shows where the source position does not
 * already say where the frame is. MARK may be NULL. */
void stack_print_text(struct strbuf *sb, const struct stack_thread *t,
		const char *mark);
/* -k: " > MODULE(FUNCTION+0xOFF) [0xMODOFF] FILE:LINE:COL" per frame,
 * inlined frames as " > MODULE(FUNCTION) [0xMODOFF] (inlined) ...". */
void stack_print_k(struct strbuf *sb, const struct stack_thread *t);
/* "0xSTART-0xEND PATH build-id ID|(none)[ debug FILE]" per module. */
void stack_print_modules_text(struct strbuf *sb, const struct stack_module *m,
		size_t n);

/* One JSON object, no newline:
 * {"tid":..,"comm":..,"crashed":..,"walk":..,"vanished":..,"stop_reason":..,
 *  "frames_total":N,"frames_omitted":M,"omitted_after":HEAD,"frames":[..]}
 * with addresses as "0x..." strings. */
void stack_print_json(struct strbuf *sb, const struct stack_thread *t,
		bool crashed);
/* One JSON array of {"start":..,"end":..,"path":..,"build_id":..,
 * "debug_file":..}. */
void stack_print_modules_json(struct strbuf *sb, const struct stack_module *m,
		size_t n);

#endif
