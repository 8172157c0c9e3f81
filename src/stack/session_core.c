/* A stack session over a core file: libdwfl reports the modules from the
 * core (NT_FILE, the dumped ELF headers, build-ids) and its thread state
 * reads each thread's registers from NT_PRSTATUS and memory from the
 * PT_LOAD segments. Walks then go through unwind.c as for a live process. */
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_file.h"
#include "core_notes.h"
#include "dwfl_files.h"
#include "message.h"
#include "session.h"

static char *dwfl_failure(const char *path, const char *what)
{
	return stack_strdupf("%s: corrupt core (%s: %s)", path, what,
			dwfl_errmsg(-1));
}

/* libdwfl names a core's vdso by its soname (linux-vdso.so.1,
 * linux-gate.so.1 on i386) or "[vdso: PID]"; /proc/PID/maps says [vdso]. */
static bool is_vdso(const char *name)
{
	return name && (strncmp(name, "[vdso", 5) == 0 ||
			strncmp(name, "linux-vdso", 10) == 0 ||
			strncmp(name, "linux-gate", 10) == 0);
}

/* The vdso is "[vdso]" as /proc/PID/maps names it, live or in a core, so
 * the same crash reads the same from both and from one process to the
 * next (libdwfl's "[vdso: PID]" would carry the pid). */
const char *stack_session_module_path(const struct stack_session *s,
		const char *name, uint64_t start)
{
	const char *path = s->core ? core_file_mapped_at(s->core, start) : NULL;
	if (path)
		return path;
	return is_vdso(name) ? "[vdso]" : name;
}

/* Adds the executable segments of MOD's ELF file to the core's ranges
 * (ARG): gdb's gcore leaves unmodified text out of the core, so its
 * PT_LOADs alone do not say where code is. The vdso ("[vdso: PID]") is
 * marked, for the aarch64 trampoline check of raw_stack.c. */
static int add_module_code(Dwfl_Module *mod, void **userdata,
		const char *name, Dwarf_Addr start, void *arg)
{
	(void)userdata, (void)start;
	struct core_file *core = arg;
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	size_t n;
	if (!elf || elf_getphdrnum(elf, &n) != 0)
		return DWARF_CB_OK;
	bool vdso = is_vdso(name);
	for (size_t i = 0; i < n && i < 256; i++) {
		GElf_Phdr ph;
		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD &&
		    (ph.p_flags & PF_X) &&
		    !core_file_add_exec(core, ph.p_vaddr + bias,
				ph.p_vaddr + bias + ph.p_memsz, vdso))
			return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

struct build_id {
	const void *bits;
	ssize_t len;
	bool found;
};

static int find_build_id(Dwfl_Module *mod, void **userdata,
		const char *name, Dwarf_Addr start, void *arg)
{
	(void)userdata, (void)name, (void)start;
	struct build_id *want = arg;
	const unsigned char *bits;
	GElf_Addr vaddr;
	int len = dwfl_module_build_id(mod, &bits, &vaddr);
	if (len > 0 && len == want->len && memcmp(bits, want->bits, len) == 0)
		want->found = true;
	return want->found ? DWARF_CB_ABORT : DWARF_CB_OK;
}

/* Whether the build-id of EXE is one the core recorded. libdwfl takes
 * the executable it is given without checking it: the wrong build would
 * give wrong names, worse than none. The core's modules are reported
 * once without EXE to learn their build-ids (no file is opened). */
static bool exe_matches(struct stack_session *s, const char *path,
		const char *exe, char **error)
{
	int fd = open(exe, O_RDONLY | O_CLOEXEC);
	Elf *elf = fd >= 0 ? elf_begin(fd, ELF_C_READ_MMAP, NULL) : NULL;
	struct build_id want = { NULL, 0, false };
	if (elf)
		want.len = dwelf_elf_gnu_build_id(elf, &want.bits);
	Dwfl *dwfl = want.len > 0 ? dwfl_begin(stack_dwfl_core_callbacks())
		: NULL;
	if (dwfl) {
		dwfl_report_begin(dwfl);
		int n = dwfl_core_file_report(dwfl, s->core->elf, NULL);
		if (dwfl_report_end(dwfl, NULL, NULL) == 0 && n >= 0)
			dwfl_getmodules(dwfl, find_build_id, &want, 0);
		dwfl_end(dwfl);
	}
	if (!elf)
		*error = stack_strdupf("--exe %s: %s", exe, fd < 0 ?
				strerror(errno) : "not an ELF file");
	else if (want.len <= 0)
		*error = stack_strdupf("--exe %s: no build-id, so it cannot "
				"be checked against the core", exe);
	else if (!want.found)
		*error = stack_strdupf("--exe %s: its build-id is not one "
				"of those recorded in %s (another build)", exe, path);
	if (elf)
		elf_end(elf);
	if (fd >= 0)
		close(fd);
	return *error == NULL;
}

static int report(struct stack_session *s, const char *path, const char *exe,
		char **error)
{
	s->dwfl = dwfl_begin(stack_dwfl_core_callbacks());
	if (!s->dwfl) {
		*error = stack_strdupf("dwfl_begin: %s", dwfl_errmsg(-1));
		return -1;
	}
	stack_bound_debuginfod(s->dwfl);
	dwfl_report_begin(s->dwfl);
	int n = dwfl_core_file_report(s->dwfl, s->core->elf, exe);
	if (dwfl_report_end(s->dwfl, NULL, NULL) != 0 || n < 0) {
		*error = dwfl_failure(path, "reading its modules");
		return -1;
	}
	int pid = dwfl_core_file_attach(s->dwfl, s->core->elf);
	if (pid <= 0) {
		*error = dwfl_failure(path, "reading its threads");
		return -1;
	}
	s->pid = pid;
	s->thread_state_attached = true;
	if (dwfl_getmodules(s->dwfl, add_module_code, s->core, 0) != 0) {
		*error = stack_strdupf("%s", strerror(ENOMEM));
		return -1;
	}
	return 0;
}

struct stack_session *stack_session_open_core(const char *path,
		const char *exe, char **error)
{
	char *message = NULL;
	struct stack_session *s = calloc(1, sizeof *s);
	struct core_file *core = calloc(1, sizeof *core);
	if (!s || !core) {
		free(core);
		message = stack_strdupf("%s", strerror(ENOMEM));
		goto fail;
	}
	s->backend = STACK_BACKEND_LIBDW;
	if (core_file_open(core, path, &message) != 0) {
		free(core);
		goto fail;
	}
	s->core = core;
	stack_dwfl_files_for(0);
	if (exe && !exe_matches(s, path, exe, &message))
		goto fail;
	if (report(s, path, exe, &message) != 0)
		goto fail;
	return s;
fail:
	return stack_session_abandon(s, message, error);
}

pid_t stack_session_pid(const struct stack_session *s)
{
	return s->pid;
}

struct tid_list {
	pid_t *tids;
	size_t count, cap;
};

static int on_thread(Dwfl_Thread *thread, void *arg)
{
	struct tid_list *l = arg;
	if (l->count == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		pid_t *tids = realloc(l->tids, cap * sizeof *tids);
		if (!tids)
			return DWARF_CB_ABORT;
		l->tids = tids;
		l->cap = cap;
	}
	l->tids[l->count++] = dwfl_thread_tid(thread);
	return DWARF_CB_OK;
}

int stack_session_core_tids(struct stack_session *s, pid_t **tids, size_t *n)
{
	struct tid_list l = { NULL, 0, 0 };
	*tids = NULL;
	*n = 0;
	if (!s->core || dwfl_getthreads(s->dwfl, on_thread, &l) != 0) {
		free(l.tids);
		return -1;
	}
	*tids = l.tids;
	*n = l.count;
	return 0;
}

static bool core_word(void *ctx, uint64_t addr, uint64_t *word)
{
	return core_file_read(ctx, addr, word, sizeof *word);
}

void stack_session_core_check(struct stack_session *s, struct raw_stack *raw,
		int *rc, char **reason)
{
	struct raw_memory mem = { core_word, s->core };
	stack_raw_check_dump(&s->core->exec, &mem, raw, rc, reason);
}

int stack_session_core_facts(struct stack_session *s,
		struct stack_core_facts *out)
{
	if (!s->core)
		return -1;
	core_notes_facts(s->core, out);
	struct stat st;
	if (fstat(s->core->fd, &st) == 0)
		out->written = st.st_mtim;
	return 0;
}

void stack_session_core_mapping(struct stack_session *s, uint64_t addr,
		char **at, char **below, char **above)
{
	*at = *below = *above = NULL;
	if (s->core)
		core_notes_mapping(s->core, addr, at, below, above);
}

void stack_session_core_comm(struct stack_session *s, pid_t tid,
		char comm[16])
{
	comm[0] = '\0';
	if (!s->core || tid != s->pid)
		return;
	struct stack_core_facts f;
	core_notes_facts(s->core, &f);
	memcpy(comm, f.fname, 15);
	comm[15] = '\0';
}
