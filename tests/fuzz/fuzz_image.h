/* The fuzzers' tracee memory: the fuzzed bytes, as if mapped at IMAGE_BASE
 * in the tracee (served through mem_set_reader); every other address is
 * unmapped. Included by one fuzz target each, and by the lcall-format unit
 * test (its arena). */
#ifndef PTRC_FUZZ_IMAGE_H
#define PTRC_FUZZ_IMAGE_H

#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#define IMAGE_BASE 0x10000000ull

static const uint8_t *image;
static size_t image_len;

static ssize_t image_reader(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	(void)tid;
	if (addr < IMAGE_BASE || addr - IMAGE_BASE >= image_len)
		return -1;
	size_t off = (size_t)(addr - IMAGE_BASE);
	size_t n = image_len - off < len ? image_len - off : len;
	memcpy(buf, image + off, n);
	return (ssize_t)n;
}

#endif
