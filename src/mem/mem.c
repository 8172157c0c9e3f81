/* Tracee memory through process_vm_readv, with PTRACE_PEEKDATA when the
 * kernel refuses it (e.g. kernels built without CONFIG_CROSS_MEMORY_ATTACH).
 * process_vm_readv stops at the first unreadable page, so reads are split
 * at page boundaries only when a short read needs finding out where the
 * readable part ends. */
#include "ptrc/mem.h"

#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <unistd.h>

static bool vm_readv_works = true;
static mem_reader_fn custom_reader;

void mem_set_reader(mem_reader_fn reader)
{
	custom_reader = reader;
}

static size_t page_size(void)
{
	static size_t size;
	if (!size)
		size = (size_t)sysconf(_SC_PAGESIZE);
	return size;
}

static ssize_t peek_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	size_t done = 0;
	const size_t word = sizeof(long);
	while (done < len) {
		uint64_t at = addr + done;
		uint64_t aligned = at & ~(uint64_t)(word - 1);
		errno = 0;
		long value = ptrace(PTRACE_PEEKDATA, tid, (void *)aligned, 0);
		if (errno)
			break;
		size_t skip = (size_t)(at - aligned);
		size_t take = word - skip;
		if (take > len - done)
			take = len - done;
		memcpy((char *)buf + done, (char *)&value + skip, take);
		done += take;
	}
	return done ? (ssize_t)done : -1;
}

ssize_t mem_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	if (addr + len < addr)  /* wraps around the address space */
		len = (size_t)(0 - addr);
	if (custom_reader)
		return custom_reader(tid, addr, buf, len);
	if (!vm_readv_works)
		return peek_read(tid, addr, buf, len);

	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n >= 0)
		return n;
	if (errno == ENOSYS || errno == EPERM) {
		vm_readv_works = errno == EPERM;  /* EPERM may be per-process */
		return peek_read(tid, addr, buf, len);
	}
	if (errno != EFAULT)
		return -1;
	/* The first page is unreadable, or the range crosses into unmapped
	 * memory: read page by page up to the first failure. */
	size_t done = 0;
	while (done < len) {
		size_t chunk = page_size() - ((addr + done) & (page_size() - 1));
		if (chunk > len - done)
			chunk = len - done;
		local.iov_base = (char *)buf + done;
		local.iov_len = chunk;
		remote.iov_base = (void *)(uintptr_t)(addr + done);
		remote.iov_len = chunk;
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			break;
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	if (!done) {
		errno = EFAULT;
		return -1;
	}
	return (ssize_t)done;
}

ssize_t mem_read_str(pid_t tid, uint64_t addr, char *buf, size_t max,
		     bool *terminated)
{
	size_t done = 0;
	*terminated = false;
	/* Read up to the end of the current page at a time: a string that
	 * ends right before an unmapped page must not fail as a whole. */
	while (done <= max) {
		size_t chunk = page_size() - ((addr + done) & (page_size() - 1));
		if (chunk > max + 1 - done)
			chunk = max + 1 - done;
		ssize_t n = mem_read(tid, addr + done, buf + done, chunk);
		if (n <= 0)
			break;
		char *nul = memchr(buf + done, '\0', (size_t)n);
		if (nul) {
			done = (size_t)(nul - buf);
			*terminated = true;
			buf[done] = '\0';
			return (ssize_t)done;
		}
		done += (size_t)n;
		if ((size_t)n < chunk)
			break;
	}
	if (done == 0)
		return -1;
	if (done > max)
		done = max;
	buf[done] = '\0';
	return (ssize_t)done;
}

int mem_read_word(pid_t tid, uint64_t addr, unsigned word_size, uint64_t *out)
{
	if (word_size == 4) {
		uint32_t v;
		if (mem_read(tid, addr, &v, 4) != 4)
			return -1;
		*out = v;
		return 0;
	}
	uint64_t v;
	if (mem_read(tid, addr, &v, 8) != 8)
		return -1;
	*out = v;
	return 0;
}
