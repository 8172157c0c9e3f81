/* The libunwind-ptrace backend. One address space per session (its caches
 * survive between walks), one UPT handle per walk. Only pcs come from
 * libunwind: names and lines come from the session's Dwfl, so both
 * backends print alike. libunwind is built for one architecture: the
 * host's, so a 32-bit tracee of a 64-bit ptrc is refused. */
#include <elf.h>
#include <fcntl.h>
#include <libunwind-ptrace.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backends.h"
#include "message.h"
#include "session.h"

struct unw_state {
	unw_addr_space_t as;
	bool foreign_class;   /* tracee's word size differs from ours */
};

/* What unw_is_signal_frame() flags differs by architecture: on x86_64 the
 * frame whose registers came from a signal context (the interrupted one),
 * elsewhere the signal trampoline's frame, whose caller was interrupted. */
#ifdef __x86_64__
#define SIGNAL_FLAG_ON_INTERRUPTED true
#else
#define SIGNAL_FLAG_ON_INTERRUPTED false
#endif

#define HOST_ELFCLASS (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32)

/* EI_CLASS of /proc/PID/exe, or ELFCLASSNONE when unreadable. */
static int tracee_elf_class(pid_t pid)
{
	char path[64];
	unsigned char ident[EI_NIDENT];
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ELFCLASSNONE;
	ssize_t n = read(fd, ident, sizeof ident);
	close(fd);
	if (n != (ssize_t)sizeof ident || memcmp(ident, ELFMAG, SELFMAG) != 0)
		return ELFCLASSNONE;
	return ident[EI_CLASS];
}

static bool check_class(struct stack_session *s)
{
	int elf_class = tracee_elf_class(s->pid);
	s->unw->foreign_class = elf_class != ELFCLASSNONE
		&& elf_class != HOST_ELFCLASS;
	return !s->unw->foreign_class;
}

static const char foreign_message[] = "libunwind unwinds only processes of "
	"ptrc's own word size; use the libdw backend";

int stack_libunwind_open(struct stack_session *s, char **error)
{
	s->unw = calloc(1, sizeof *s->unw);
	if (!s->unw) {
		*error = stack_strdupf("out of memory");
		return -1;
	}
	if (!check_class(s)) {
		*error = stack_strdupf("%s", foreign_message);
		return -1;
	}
	s->unw->as = unw_create_addr_space(&_UPT_accessors, 0);
	if (!s->unw->as) {
		*error = stack_strdupf("unw_create_addr_space failed");
		return -1;
	}
	unw_set_caching_policy(s->unw->as, UNW_CACHE_GLOBAL);
	return 0;
}

void stack_libunwind_flush(struct stack_session *s)
{
	if (s->unw->as)
		unw_flush_cache(s->unw->as, 0, 0);
	check_class(s);     /* an exec may have changed it */
}

void stack_libunwind_close(struct stack_session *s)
{
	if (!s->unw)
		return;
	if (s->unw->as)
		unw_destroy_addr_space(s->unw->as);
	free(s->unw);
	s->unw = NULL;
}

/* Why libunwind stopped at IP. libunwind-ptrace reads unwind info from the
 * path in /proc/PID/maps, which for a file deleted or replaced since it
 * was mapped ("PATH (deleted)") no longer opens: say so rather than blame
 * the code. */
static char *gave_up(struct stack_session *s, unw_word_t ip, const char *why)
{
	Dwfl_Module *mod = s->dwfl ? dwfl_addrmodule(s->dwfl, ip) : NULL;
	const char *name = mod ? dwfl_module_info(mod, NULL, NULL, NULL, NULL,
			NULL, NULL, NULL) : NULL;
	static const char deleted[] = " (deleted)";
	size_t len = name ? strlen(name) : 0;
	if (len > sizeof deleted - 1 &&
	    strcmp(name + len - (sizeof deleted - 1), deleted) == 0)
		return stack_strdupf("cannot unwind past 0x%llx: libunwind "
				"cannot read the unwind info of %s (the file "
				"was deleted or replaced; --unwinder=libdw can)",
				(unsigned long long)ip, name);
	return stack_strdupf("cannot unwind past 0x%llx: %s",
			(unsigned long long)ip, why);
}

int stack_libunwind_walk(struct stack_session *s, pid_t tid,
		struct raw_stack *raw, char **reason)
{
	*reason = NULL;
	if (!s->unw || !s->unw->as || s->unw->foreign_class) {
		*reason = stack_strdupf("%s", foreign_message);
		return -1;
	}
	void *upt = _UPT_create(tid);
	if (!upt) {
		*reason = stack_strdupf("_UPT_create failed");
		return -1;
	}
	unw_cursor_t cursor;
	int rc = unw_init_remote(&cursor, s->unw->as, upt);
	if (rc < 0) {
		*reason = stack_strdupf("cannot start the walk: %s",
				unw_strerror(rc));
		goto out;
	}
	bool after_signal_frame = false;
	for (;;) {
		unw_word_t ip;
		rc = unw_get_reg(&cursor, UNW_REG_IP, &ip);
		if (rc < 0) {
			*reason = stack_strdupf("cannot read the pc: %s",
					unw_strerror(rc));
			break;
		}
		int signal_frame = unw_is_signal_frame(&cursor) > 0;
		/* Frame 0 is where the thread stopped; a frame a signal
		 * interrupted was not calling anything either. */
		bool activation = raw->count == 0 || (SIGNAL_FLAG_ON_INTERRUPTED
				? signal_frame : after_signal_frame);
		if (!stack_raw_push(raw, ip, activation)) {
			if (!raw->cut)
				*reason = stack_strdupf("out of memory");
			rc = -1;
			break;
		}
		after_signal_frame = signal_frame;
		rc = unw_step(&cursor);
		if (rc == 0) {
			/* At a true end (_start, clone: CFI marks the return
			 * address undefined) libunwind moves to pc 0. Where it
			 * just gave up (no CFI, no frame pointer) the pc stays. */
			unw_word_t next_ip = 0;
			if (unw_get_reg(&cursor, UNW_REG_IP, &next_ip) == 0
					&& next_ip != 0) {
				*reason = gave_up(s, ip, "no CFI and no "
						"usable frame pointer");
				rc = -1;
			}
			break;
		}
		if (rc < 0) {
			*reason = gave_up(s, ip, unw_strerror(rc));
			break;
		}
	}
out:
	_UPT_destroy(upt);
	return rc == 0 ? 0 : -1;
}
