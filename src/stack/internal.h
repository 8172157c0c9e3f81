/* What the files of src/stack share; nothing outside src/stack includes it. */
#ifndef PTRC_STACK_INTERNAL_H
#define PTRC_STACK_INTERNAL_H

#include <elfutils/libdwfl.h>
#include "ptrc/stack.h"

/* Strings interned once per session: frames point into it, and a name seen
 * on every walk is stored once. */
struct strpool {
	char **slots;    /* open addressing; NULL = empty */
	size_t cap;      /* power of two */
	size_t count;
};

const char *strpool_intern(struct strpool *p, const char *str);
const char *strpool_intern_len(struct strpool *p, const char *str, size_t len);
void strpool_free(struct strpool *p);

/* Symbolized pcs: (pc, activation) -> frames, inlined ones first, the real
 * one last. Frames hold interned strings; only the arrays are owned. */
struct pc_entry {
	uint64_t key;                /* from pc and activation; 0 = empty */
	struct stack_frame *frames;
	uint32_t nframes;
};

struct pc_cache {
	struct pc_entry *slots;
	size_t cap;
	size_t count;
};

const struct pc_entry *pc_cache_find(const struct pc_cache *c, uint64_t key);
/* Takes FRAMES (malloc'd). NULL when out of memory (FRAMES freed then). */
const struct pc_entry *pc_cache_add(struct pc_cache *c, uint64_t key,
		struct stack_frame *frames, uint32_t nframes);
void pc_cache_clear(struct pc_cache *c);
void pc_cache_free(struct pc_cache *c);

/* The raw result of a backend: pcs only. */
struct raw_frame {
	uint64_t pc;
	bool activation;
};

struct raw_stack {
	struct raw_frame *frames;
	size_t count, cap;
	size_t max;                  /* stop (cut) after this many */
	bool cut;
};

/* Appends one pc; false when MAX is reached (sets cut) or out of memory. */
bool raw_stack_push(struct raw_stack *r, uint64_t pc, bool activation);

struct unw_state;                    /* libunwind backend, unwind_libunwind.c */

struct stack_session {
	pid_t pid;
	enum stack_backend backend;
	Dwfl *dwfl;
	bool thread_state_attached;  /* dwfl_linux_proc_attach done */
	bool maps_dirty;             /* re-read /proc/PID/maps before a walk */
	bool exec_seen;              /* rebuild everything before a walk */
	bool thread_state_stale;     /* libdw's may be wrong: rebuild too */
	uint64_t maps_fingerprint;   /* of the file mappings last reported */
	struct unw_state *unw;
	struct pc_cache cache;
	struct strpool pool;
};

/* Make the Dwfl match the process now (after exec or map changes). Returns
 * 0, or -1 with a malloc'd message in *error. */
int session_refresh(struct stack_session *s, char **error);

/* Backends. Each fills RAW and returns 0 when the walk reached the
 * outermost frame, or -1 with a malloc'd reason (cut, error). */
int libdw_walk(struct stack_session *s, pid_t tid, struct raw_stack *raw,
		char **reason);
int libunwind_open(struct stack_session *s, char **error);
void libunwind_close(struct stack_session *s);
void libunwind_flush(struct stack_session *s);
int libunwind_walk(struct stack_session *s, pid_t tid, struct raw_stack *raw,
		char **reason);

/* Frames for one unwound pc (cached). NULL only when out of memory. */
const struct pc_entry *symbolize_pc(struct stack_session *s, uint64_t pc,
		bool activation);

/* C++ names demangled when the C++ runtime is linked in; else NAME. */
const char *demangle_interned(struct strpool *p, const char *name);

/* The printers (print_text.c, print_json.c): whether frame I of N is shown
 * (all of a short stack, the first STACK_PRINT_HEAD and the last
 * STACK_PRINT_TAIL of a long one), and how many are left out between. */
static inline bool print_shown(size_t i, size_t n)
{
	return n <= STACK_PRINT_HEAD + STACK_PRINT_TAIL || i < STACK_PRINT_HEAD ||
	       i >= n - STACK_PRINT_TAIL;
}

static inline size_t print_omitted(size_t n)
{
	return n <= STACK_PRINT_HEAD + STACK_PRINT_TAIL ? 0 :
	       n - STACK_PRINT_HEAD - STACK_PRINT_TAIL;
}

/* asprintf that returns NULL instead of leaving garbage. */
char *stack_strdupf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
