/* -e verbose=SET for return values (see verbose_set.c): the suffixes
 * strace 6.1 reads from memory only for verbose calls. */
#include "printers.h"

/* poll's and recvmmsg's return without its suffix, but "0 (Timeout)",
 * which strace prints from the value alone. */
static bool ret_timeout_only(struct strbuf *sb, enum xlat_style style,
			     const struct syscall_call *call, unsigned index,
			     int64_t rval)
{
	(void)style, (void)call, (void)index;
	if (rval != 0)
		return false;
	sb_puts(sb, "0 (Timeout)");
	return true;
}

ret_printer_fn ret_printer_shallow(unsigned kind, ret_printer_fn fn)
{
	switch (kind) {
	case ARG_POLLFD:
	case ARG_MMSG_TIMEOUT:
	case ARG_MMSG_TIMEOUT64:
		return ret_timeout_only;
	case ARG_FDSET:
		return ret_fdset_shallow;
	case ARG_USER_DESC_IN:
		return NULL;  /* set_thread_area's entry_number is read */
	default:
		return fn;
	}
}
