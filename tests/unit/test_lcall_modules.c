/* -l patterns, and the modules and function symbols of this very process
 * (/proc/self): biases checked against the dynamic linker's own answers,
 * aliases and versioned duplicates, malformed ELF files mapped
 * executable. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ptrc/lcall.h"

/* ---- patterns ---- */

static void test_patterns(void)
{
	struct lcall_patterns p = { 0 };
	char err[256];

	CHECK(lcall_patterns_parse("malloc", &p, err, sizeof err) == 0);
	CHECK(p.count == 1);
	CHECK(p.items[0].module_glob == NULL);
	CHECK_STR(p.items[0].func_glob, "malloc");

	/* appends; spaces around items are dropped */
	CHECK(lcall_patterns_parse("libssl.so.*:SSL_*, free ,*/libz*:inf*",
				   &p, err, sizeof err) == 0);
	CHECK(p.count == 4);
	CHECK_STR(p.items[1].module_glob, "libssl.so.*");
	CHECK_STR(p.items[1].func_glob, "SSL_*");
	CHECK(p.items[2].module_glob == NULL);
	CHECK_STR(p.items[2].func_glob, "free");
	CHECK_STR(p.items[3].module_glob, "*/libz*");

	/* errors leave the list as it was */
	static const char *const bad[] = {
		"", ",", "a,,b", "a,", ",a", " ", ":f", "m:", "a, :x",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		CHECK(lcall_patterns_parse(bad[i], &p, err, sizeof err) == -1);
		CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
		CHECK(p.count == 4);
	}
	CHECK(lcall_patterns_parse(":f", &p, err, sizeof err) == -1);
	CHECK(strstr(err, "module") != NULL);
	CHECK(lcall_patterns_parse("libc*:", &p, err, sizeof err) == -1);
	CHECK(strstr(err, "function") != NULL);
	/* a tiny error buffer still gets a terminated message */
	char small[8];
	CHECK(lcall_patterns_parse("a,,", &p, small, sizeof small) == -1);
	CHECK(strlen(small) < sizeof small);

	const char *libssl = "/usr/lib/x86_64-linux-gnu/libssl.so.3";
	const char *libz = "/lib/libz.so.1";
	CHECK(lcall_patterns_match(&p, "/bin/true", "malloc"));
	CHECK(lcall_patterns_match(&p, libssl, "SSL_read"));
	CHECK(!lcall_patterns_match(&p, libz, "SSL_read"));
	CHECK(lcall_patterns_match(&p, libz, "inflate"));   /* full path glob */
	CHECK(!lcall_patterns_match(&p, libssl, "inflate"));
	CHECK(!lcall_patterns_match(&p, libssl, "mallocx"));
	CHECK(lcall_patterns_match(&p, libssl, "free"));
	lcall_patterns_free(&p);
	CHECK(p.count == 0 && p.items == NULL);
	CHECK(!lcall_patterns_match(&p, libz, "malloc"));

	CHECK(lcall_patterns_parse("libc.so.6:get[[:alpha:]]id", &p, err,
				   sizeof err) == 0);
	CHECK(lcall_patterns_match(&p, "/lib/x86_64-linux-gnu/libc.so.6",
				   "getpid"));
	CHECK(!lcall_patterns_match(&p, "/lib/libc.so.6.bak", "getpid"));
	lcall_patterns_free(&p);

	CHECK(lcall_module_glob_matches("libc.so*", "/lib/libc.so.6"));
	CHECK(lcall_module_glob_matches("/lib/*", "/lib/libc.so.6"));
	CHECK(lcall_module_glob_matches("*libc*", "/lib/libc.so.6"));
	CHECK(!lcall_module_glob_matches("libm*", "/lib/libc.so.6"));
	CHECK(!lcall_module_glob_matches("lib", "/lib/libc.so.6"));
	CHECK(lcall_module_glob_matches("a b (deleted)", "/tmp/a b (deleted)"));
}

/* ---- modules of this process ---- */

struct seen {
	uint64_t addrs[64];
	char names[64][64];
	bool ifunc[64];
	int count;
};

static void record(void *ctx, const struct lcall_module *m, const char *name,
		   uint64_t addr, bool is_ifunc)
{
	(void)m;
	struct seen *s = ctx;
	if (s->count < 64) {
		s->addrs[s->count] = addr;
		snprintf(s->names[s->count], sizeof s->names[0], "%s", name);
		s->ifunc[s->count] = is_ifunc;
	}
	s->count++;
}

static int functions(const struct lcall_module *m, const char *spec,
		     struct seen *s)
{
	struct lcall_patterns p = { 0 };
	char err[128];
	memset(s, 0, sizeof *s);
	if (lcall_patterns_parse(spec, &p, err, sizeof err) != 0)
		return -2;
	int n = lcall_module_functions(getpid(), m, &p, record, s);
	lcall_patterns_free(&p);
	return n;
}

/* How often S reports ADDR, and under which name (the last). */
static int reported(const struct seen *s, uint64_t addr, const char **name)
{
	int n = 0;
	for (int i = 0; i < s->count && i < 64; i++)
		if (s->addrs[i] == addr) {
			n++;
			*name = s->names[i];
		}
	return n;
}

static const struct lcall_module *find_module(const struct lcall_module *mods,
					      size_t n, const char *prefix)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(mods[i].name, prefix, strlen(prefix)) == 0)
			return &mods[i];
	return NULL;
}

static void test_self(void)
{
	pid_t pid = getpid();
	struct lcall_module *mods;
	size_t n;
	CHECK(lcall_modules_read(pid, &mods, &n) == 0);
	CHECK(n >= 3);
	for (size_t i = 0; i + 1 < n; i++)
		CHECK(mods[i].start < mods[i + 1].start);
	for (size_t i = 0; i < n; i++) {
		CHECK(mods[i].path[0] == '/');
		CHECK(mods[i].start < mods[i].end);
		CHECK(mods[i].map_start >= mods[i].start);
		CHECK(mods[i].map_end <= mods[i].end);
		CHECK(lcall_module_at(mods, n, mods[i].start) == &mods[i]);
		CHECK(lcall_module_at(mods, n, mods[i].end - 1) == &mods[i]);
		CHECK(strstr(mods[i].path, "[vdso]") == NULL);
	}
	CHECK(lcall_module_at(mods, n, 0) == NULL);
	CHECK(lcall_module_at(mods, n, UINT64_MAX) == NULL);
	CHECK(lcall_module_at(NULL, 0, 4096) == NULL);

	/* the test executable: main where the test sees it */
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	CHECK(len > 0);
	exe[len > 0 ? len : 0] = '\0';
	const struct lcall_module *self = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(mods[i].path, exe) == 0)
			self = &mods[i];
	CHECK(self != NULL);
	if (self) {
		CHECK(lcall_module_at(mods, n, (uintptr_t)&test_self) == self);
		CHECK(lcall_module_symbol(pid, self, "test_self") ==
		      (uintptr_t)&test_self);
		CHECK(lcall_module_symbol(pid, self, "no_such_symbol_here") == 0);
		struct seen s;
		const char *name = NULL;
		CHECK(functions(self, "test_self", &s) == 1);
		CHECK(reported(&s, (uintptr_t)&test_self, &name) == 1);
		CHECK_STR(name, "test_self");
		/* a module glob that does not name it selects nothing */
		CHECK(functions(self, "libc.so*:test_self", &s) == 0);
		CHECK(functions(self, "test_lcall_modules:test_self", &s) == 1);
	}

	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	CHECK(h != NULL);
	const struct lcall_module *libc = find_module(mods, n, "libc.so.6");
	CHECK(libc != NULL);
	if (libc && h) {
		uint64_t getpid_at = (uintptr_t)dlsym(h, "getpid");
		CHECK(getpid_at != 0);
		CHECK(lcall_module_at(mods, n, getpid_at) == libc);
		CHECK(lcall_module_symbol(pid, libc, "getpid") == getpid_at);

		struct seen s;
		const char *name = NULL;
		CHECK(functions(libc, "getpid", &s) == 1);
		CHECK(s.addrs[0] == getpid_at);
		CHECK_STR(s.names[0], "getpid");
		/* "__getpid" is an alias: one callback, the plain name */
		CHECK(functions(libc, "*getpid", &s) >= 1);
		CHECK(reported(&s, getpid_at, &name) == 1);
		CHECK_STR(name, "getpid");
		CHECK(functions(libc, "__getpid", &s) == 1);
		CHECK_STR(s.names[0], "__getpid");
		CHECK(functions(libc, "libc.so.6:getpid,getpid", &s) == 1);
		CHECK(functions(libc, "ld-linux*:getpid", &s) == 0);

		/* realpath has two versions on x86_64 (GLIBC_2.2.5, the
		 * default GLIBC_2.3) at two addresses: two callbacks named
		 * "realpath"; the default one is the symbol's address. */
		uint64_t rp = (uintptr_t)dlsym(h, "realpath");
		uint64_t rp_old = (uintptr_t)dlvsym(h, "realpath", "GLIBC_2.2.5");
		CHECK(rp != 0);
		CHECK(lcall_module_symbol(pid, libc, "realpath") == rp);
		int want = rp_old && rp_old != rp ? 2 : 1;
		CHECK(functions(libc, "realpath", &s) == want);
		CHECK(reported(&s, rp, &name) == 1);
		CHECK_STR(name, "realpath");
		if (want == 2) {
			CHECK(reported(&s, rp_old, &name) == 1);
			CHECK_STR(name, "realpath");
		}

		/* memcpy's default version is an IFUNC */
		uint64_t mc = lcall_module_symbol(pid, libc, "memcpy");
		CHECK(mc != 0);
		CHECK(functions(libc, "memcpy", &s) >= 1);
		CHECK(reported(&s, mc, &name) == 1);
#if defined(__x86_64__) || defined(__aarch64__)
		for (int i = 0; i < s.count && i < 64; i++)
			if (s.addrs[i] == mc)
				CHECK(s.ifunc[i]);
#endif
		/* every function: more than a thousand, none twice */
		int all = functions(libc, "*", &s);
		CHECK(all > 1000);
	}
	if (h)
		dlclose(h);

	/* ld.so: _dl_debug_state is where r_debug.r_brk points */
	const struct lcall_module *ld = find_module(mods, n, "ld-linux");
	CHECK(ld != NULL);
	if (ld) {
		CHECK(lcall_module_symbol(pid, ld, "_dl_debug_state") ==
		      _r_debug.r_brk);
		CHECK(lcall_module_at(mods, n, _r_debug.r_brk) == ld);
	}
	lcall_modules_free(mods, n);
}

/* ---- malformed files ---- */

/* A deterministic byte stream for garbage. */
static uint32_t rng_state = 12345;
static uint8_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (uint8_t)(rng_state >> 16);
}

static uint8_t *read_all(const char *path, size_t *size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	uint8_t *buf = malloc((size_t)st.st_size);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*size = got;
	return buf;
}

/* Writes DATA to a temporary file and maps it executable; sets *PATH.
 * Returns the mapping or MAP_FAILED (noexec file systems: tries the
 * current directory after $TMPDIR and /tmp). */
static void *map_exec(const uint8_t *data, size_t size, char *path,
		      size_t *maplen)
{
	const char *dirs[] = { getenv("TMPDIR"), "/tmp", "." };
	for (size_t d = 0; d < 3; d++) {
		if (!dirs[d])
			continue;
		snprintf(path, PATH_MAX, "%s/ptrc lcall bad XXXXXX", dirs[d]);
		int fd = mkstemp(path);
		if (fd < 0)
			continue;
		bool ok = write(fd, data, size) == (ssize_t)size;
		*maplen = size;
		void *p = ok ? mmap(NULL, size, PROT_READ | PROT_EXEC,
				    MAP_PRIVATE, fd, 0) : MAP_FAILED;
		close(fd);
		if (p != MAP_FAILED)
			return p;
		unlink(path);
	}
	return MAP_FAILED;
}

/* The callbacks try_file saw for the listed module. */
static int listed_functions;

/* Maps DATA executable and runs the whole API over it: nothing may crash;
 * a listed module yields -1 or only callbacks inside its range. DELETE:
 * unlink the file first (then only map_files opens it). Returns whether
 * 1 when the file was listed as a module, 0 when not, -1 when it could
 * not be mapped. */
static int try_file(const uint8_t *data, size_t size, bool delete)
{
	char path[PATH_MAX];
	size_t maplen;
	void *p = map_exec(data, size, path, &maplen);
	if (p == MAP_FAILED) {
		printf("skipped: cannot map a temporary file executable\n");
		return -1;
	}
	if (delete)
		unlink(path);
	struct lcall_module *mods;
	size_t n;
	int listed = 0;
	CHECK(lcall_modules_read(getpid(), &mods, &n) == 0);
	const struct lcall_module *m = lcall_module_at(mods, n, (uintptr_t)p);
	if (m && strncmp(m->path, path, strlen(path)) == 0) {
		listed = 1;
		if (delete)
			CHECK(strstr(m->path, " (deleted)") != NULL);
		struct seen s;
		int r = functions(m, "*", &s);
		CHECK(r >= -1);
		listed_functions = r;
		for (int i = 0; i < s.count && i < 64; i++)
			CHECK(s.addrs[i] >= m->start && s.addrs[i] < m->end);
		lcall_module_symbol(getpid(), m, "main");
	}
	if (mods)
		lcall_modules_free(mods, n);

	/* also as a module made by hand, whatever the maps said */
	struct lcall_module fake = {
		.path = path, .name = path, .start = (uintptr_t)p,
		.end = (uintptr_t)p + maplen, .bias = (uintptr_t)p,
		.map_start = (uintptr_t)p,
		.map_end = (uintptr_t)p + ((maplen + 4095) & ~(size_t)4095),
	};
	struct seen s;
	CHECK(functions(&fake, "*", &s) >= -1);
	lcall_module_symbol(getpid(), &fake, "main");
	munmap(p, maplen);
	if (!delete)
		unlink(path);
	return listed;
}

static void test_malformed(void)
{
	size_t size;
	uint8_t *exe = read_all("/proc/self/exe", &size);
	CHECK(exe != NULL && size > 4096);
	if (!exe || size <= 4096)
		return;
	ElfW(Ehdr) eh;
	memcpy(&eh, exe, sizeof eh);
	uint8_t *buf = malloc(size);
	CHECK(buf != NULL);
	if (!buf) {
		free(exe);
		return;
	}

	/* the intact file, mapped whole: its functions, inside the mapping */
	listed_functions = 0;
	int intact = try_file(exe, size, false);
	CHECK(intact != 0);
	if (intact == 1)
		CHECK(listed_functions > 10);

	/* not ELF; a bare ELF magic */
	memset(buf, 'x', 4096);
	CHECK(try_file(buf, 4096, false) != 1);
	CHECK(try_file(exe, 4, false) != 1);
	CHECK(try_file(exe, 100, false) != 1);

	/* truncated after the program headers (section headers beyond the
	 * end): listed when a PT_LOAD maps file offset 0 (through map_files
	 * once deleted), no symbols */
	size_t head = eh.e_phoff + (size_t)eh.e_phnum * eh.e_phentsize;
	CHECK(head < size);
	CHECK(try_file(exe, head, false) != 0);
	CHECK(try_file(exe, head, true) != 0);
	CHECK(try_file(exe, 4096, true) != 0);

	/* garbage section headers */
	for (int round = 0; round < 20; round++) {
		memcpy(buf, exe, size);
		if (eh.e_shoff < size)
			for (size_t i = eh.e_shoff; i < size; i++)
				buf[i] = rng();
		try_file(buf, size, round & 1);
	}
	/* absurd counts and offsets in the ELF header */
	static const struct { uint64_t shoff; uint16_t shnum, shstrndx; } hdrs[] = {
		{ 0xffffffffffffff00ull, 0xffff, 0xfffe },
		{ 64, 0xffff, 3 },
		{ 64, 0, 0 },      /* e_shnum 0: the count is in section 0 */
		{ 1, 200, 199 },
	};
	for (size_t k = 0; k < sizeof hdrs / sizeof hdrs[0]; k++) {
		memcpy(buf, exe, size);
		ElfW(Ehdr) *h = (ElfW(Ehdr) *)buf;
		h->e_shoff = hdrs[k].shoff;
		h->e_shnum = hdrs[k].shnum;
		h->e_shstrndx = hdrs[k].shstrndx;
		try_file(buf, size, false);
	}
	/* one bad field in the section headers of the symbol tables */
	ElfW(Shdr) *sh0 = (ElfW(Shdr) *)(buf + eh.e_shoff);
	CHECK(eh.e_shoff + (size_t)eh.e_shnum * sizeof *sh0 <= size);
	for (int k = 0; k < 9 && eh.e_shoff + (size_t)eh.e_shnum * sizeof *sh0 <= size; k++) {
		memcpy(buf, exe, size);
		if (k == 0) {  /* extended section count, absurd */
			((ElfW(Ehdr) *)buf)->e_shnum = 0;
			sh0->sh_size = UINT64_MAX / 2;
		}
		for (size_t i = 0; i < eh.e_shnum; i++) {
			ElfW(Shdr) *sh = &sh0[i];
			if (sh->sh_type != SHT_SYMTAB && sh->sh_type != SHT_DYNSYM)
				continue;
			ElfW(Shdr) *str = sh->sh_link < eh.e_shnum ?
				&sh0[sh->sh_link] : NULL;
			switch (k) {
			case 1: sh->sh_size = UINT64_MAX - 8; break;
			case 2: sh->sh_offset = size - 8; break;
			case 3: sh->sh_link = (uint32_t)i; break;
			case 4: sh->sh_link = 0xffffff; break;
			case 5: sh->sh_entsize = 0; sh->sh_size = 7; break;
			case 6:  /* names run to the end of a string table */
				if (str && str->sh_offset < size &&
				    str->sh_size <= size - str->sh_offset)
					memset(buf + str->sh_offset, 'n', str->sh_size);
				break;
			case 7:
				if (str)
					str->sh_size = UINT64_MAX;
				break;
			case 8: sh->sh_type = SHT_NOBITS; break;
			}
		}
		try_file(buf, size, false);
	}

	/* valid headers, garbage everywhere past the program headers: the
	 * symbol tables, string tables and section contents (a few bytes in
	 * a thousand, then a quarter of them) */
	for (int round = 0; round < 40; round++) {
		memcpy(buf, exe, size);
		for (size_t i = head; i < size; i++)
			if (rng() < (round < 20 ? 1 : 64) && rng() < 64)
				buf[i] = rng();
		try_file(buf, size, false);
	}
	/* garbage section contents, only the section headers intact */
	memcpy(buf, exe, size);
	for (size_t i = head; i < eh.e_shoff && i < size; i++)
		buf[i] = rng();
	try_file(buf, size, false);
	free(buf);
	free(exe);
}

int main(void)
{
	test_patterns();
	test_self();
	test_malformed();
	/* a process that is not there */
	struct lcall_module *mods;
	size_t n;
	errno = 0;
	CHECK(lcall_modules_read(INT_MAX, &mods, &n) == -1);
	CHECK(errno != 0);
	return check_result("lcall-modules");
}
