/* Which files libdwfl reads for a live process's modules: the mapped
 * file itself when its path now names another (or none), and separate
 * debug info next to the path the process mapped. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "debug_cache.h"
#include "dwfl_files.h"
#include "ptrc/stack.h"
#include "message.h"

/* libdwfl keeps a pointer to the callbacks: they must outlive every Dwfl.
 * A NULL debuginfo_path means libdw's default search ":.debug:/usr/lib/debug"
 * (.gnu_debuglink next to the file and in its .debug/, /usr/lib/debug and
 * its .build-id tree); PTRC_DEBUGINFO_PATH replaces it (see stack.h). libdw
 * adds debuginfod by itself when DEBUGINFOD_URLS is set. */
static char *debuginfo_path;
static bool debuginfo_path_read;
static int find_elf(Dwfl_Module *mod, void **userdata, const char *name,
		Dwarf_Addr base, char **file_name, Elf **elfp);
static int find_debuginfo(Dwfl_Module *mod, void **userdata,
		const char *name, Dwarf_Addr base, const char *file_name,
		const char *debuglink_file, GElf_Word debuglink_crc,
		char **debuginfo_file_name);
static const Dwfl_Callbacks proc_callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* A core's modules: the files NT_FILE names (or --exe), taken only when
 * their build-id is the one the core recorded, or found by build-id in
 * the debuginfo path's .build-id trees (and through debuginfod). */
static const Dwfl_Callbacks core_callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

char **stack_debuginfo_path(void)
{
	if (!debuginfo_path_read) {
		const char *env = getenv("PTRC_DEBUGINFO_PATH");
		debuginfo_path = env && *env ? strdup(env) : NULL;
		debuginfo_path_read = true;
	}
	return &debuginfo_path;
}

/* The pid of the session whose Dwfl is in use: find_elf gets no session,
 * and libdwfl knows the pid only once its thread state is attached (never
 * for the libunwind backend). Set by every entry that uses the Dwfl
 * (stack_dwfl_files_for); ptrc is single-threaded. */
static pid_t current_pid;

void stack_dwfl_files_for(pid_t pid)
{
	current_pid = pid;
}

const Dwfl_Callbacks *stack_dwfl_proc_callbacks(void)
{
	stack_debuginfo_path();
	return &proc_callbacks;
}

const Dwfl_Callbacks *stack_dwfl_core_callbacks(void)
{
	stack_debuginfo_path();
	return &core_callbacks;
}

Dwfl *stack_offline_dwfl_begin(void)
{
	Dwfl *dwfl = dwfl_begin(stack_dwfl_core_callbacks());
	if (dwfl)
		stack_bound_debuginfod(dwfl);
	return dwfl;
}

/* PATH's mapping that starts at START, as /proc/PID/map_files/LO-HI. */
static bool map_file_of(pid_t pid, uint64_t start, const char *path,
		char *out, size_t size)
{
	char maps[64];
	snprintf(maps, sizeof maps, "/proc/%d/maps", (int)pid);
	FILE *f = fopen(maps, "re");
	if (!f)
		return false;
	bool found = false;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	while (!found && (len = getline(&line, &cap, f)) > 0) {
		unsigned long long lo, hi;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		const char *name = strchr(line, '/');
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && lo == start &&
		    name && strcmp(name, path) == 0) {
			snprintf(out, size, "/proc/%d/map_files/%llx-%llx",
				 (int)pid, lo, hi);
			found = true;
		}
	}
	free(line);
	fclose(f);
	return found;
}

static bool is_deleted(const char *name)
{
	static const char deleted[] = " (deleted)";
	size_t len = strlen(name), dlen = sizeof deleted - 1;
	return name[0] == '/' && len > dlen &&
	       strcmp(name + len - dlen, deleted) == 0;
}

/* Whether the file at NAME is known to be another than the mapped one,
 * PROC (its /proc link: stat follows it when permitted). Without that
 * permission nothing is known: the inode in /proc/PID/maps is not always
 * the one stat gives for the path (overlayfs). */
static bool replaced(const char *name, const char *proc)
{
	struct stat a, b;
	if (stat(proc, &b) != 0)
		return false;
	return stat(name, &a) != 0 || a.st_dev != b.st_dev ||
	       a.st_ino != b.st_ino;
}

/* libdwfl opens a module by the path /proc/PID/maps shows, which may no
 * longer be the mapped file:
 * - deleted, or replaced by a rename, since it was mapped: "PATH (deleted)",
 *   and libdwfl would read only the loaded segments from memory (no
 *   .symtab, no .gnu_debuglink, no DWARF);
 * - another file now at that path (a bind mount over it, another mount
 *   namespace): libdwfl would symbolize with the wrong file's symbols.
 * The mapped file itself is still open through /proc/PID/exe (the
 * executable; ptrace access suffices) or /proc/PID/map_files/ (any file;
 * needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN; without it a replaced
 * library cannot be told from its path, which is then used). When the
 * link does not open, a replaced file is read from the tracee's memory
 * like a deleted one (libdw backend), or left without ELF: no names
 * rather than wrong ones. */
static int find_elf(Dwfl_Module *mod, void **userdata, const char *name,
		Dwarf_Addr base, char **file_name, Elf **elfp)
{
	if (current_pid <= 0 || name[0] != '/')
		return dwfl_linux_proc_find_elf(mod, userdata, name, base,
				file_name, elfp);
	bool deleted = is_deleted(name);
	char path[96], exe[4096];
	Dwarf_Addr start = 0;
	dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	snprintf(path, sizeof path, "/proc/%d/exe", (int)current_pid);
	ssize_t n = readlink(path, exe, sizeof exe - 1);
	bool found = n > 0 && (exe[n] = '\0', strcmp(exe, name) == 0);
	if (!found)
		found = map_file_of(current_pid, start, name, path, sizeof path);
	if (!found || (!deleted && !replaced(name, path)))
		return dwfl_linux_proc_find_elf(mod, userdata, name, base,
				file_name, elfp);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		char *copy = elf ? strdup(path) : NULL;
		if (copy) {
			*elfp = elf;
			free(*file_name);
			*file_name = copy;
			return fd;
		}
		if (elf)
			elf_end(elf);
		close(fd);
	}
	if (deleted)
		return dwfl_linux_proc_find_elf(mod, userdata, name, base,
				file_name, elfp);
	char *image = stack_strdupf("%s (deleted)", name);
	int rc = image ? dwfl_linux_proc_find_elf(mod, userdata, image, base,
			file_name, elfp) : -1;
	free(image);
	return rc;
}

/* The debug-file cache (debug_cache.c) is asked first, by the module's
 * build-id; its entry is read under the name of the debug file it was made
 * from (what the modules list shows, where a .gnu_debugaltlink is looked
 * for). libdwfl's own search opens the file it finds itself, so the cache
 * must answer before it. A debug file found by the search is given to the
 * cache to inflate for the next time.
 *
 * The .gnu_debuglink of a file opened through /proc (above) is looked for
 * in the directory of its path, not in /proc/PID/: a debug file there is
 * used only when its CRC (and build-id) match. */
static int find_debuginfo(Dwfl_Module *mod, void **userdata,
		const char *name, Dwarf_Addr base, const char *file_name,
		const char *debuglink_file, GElf_Word debuglink_crc,
		char **debuginfo_file_name)
{
	const unsigned char *id = NULL;
	GElf_Addr id_vaddr;
	int id_len = dwfl_module_build_id(mod, &id, &id_vaddr);
	const char *cache = id_len > 0 ? debug_cache_dir() : NULL;
	char *cached_name = NULL;
	int fd = cache ? debug_cache_open(cache, id, (size_t)id_len,
					  &cached_name) : -1;
	if (fd >= 0) {
		free(*debuginfo_file_name);
		*debuginfo_file_name = cached_name;
		return fd;
	}
	char *original = NULL;
	if (file_name && strncmp(file_name, "/proc/", 6) == 0 &&
	    name[0] == '/')
		original = is_deleted(name)
			? strndup(name, strlen(name) - strlen(" (deleted)"))
			: strdup(name);
	fd = dwfl_standard_find_debuginfo(mod, userdata, name, base,
			original ? original : file_name, debuglink_file,
			debuglink_crc, debuginfo_file_name);
	free(original);
	if (fd >= 0 && cache && *debuginfo_file_name)
		debug_cache_fill(cache, id, (size_t)id_len, *debuginfo_file_name);
	return fd;
}
