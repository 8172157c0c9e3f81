/* C++ names. The demangler lives in the C++ runtime (libstdc++'s
 * __cxa_demangle has C linkage, as eu-stack uses it); the build defines
 * PTRC_HAVE_CXA_DEMANGLE when it links that runtime in. Without it names
 * stay mangled, which is still exact. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Longer names stay mangled: the demangler recurses on hostile input. */
#define DEMANGLE_MAX_INPUT 4096

#ifdef PTRC_HAVE_CXA_DEMANGLE
extern char *__cxa_demangle(const char *mangled, char *buffer, size_t *length,
		int *status);
#endif

const char *demangle_interned(struct strpool *p, const char *name)
{
#ifdef PTRC_HAVE_CXA_DEMANGLE
	if (name[0] == '_' && name[1] == 'Z'
			&& strnlen(name, DEMANGLE_MAX_INPUT) < DEMANGLE_MAX_INPUT) {
		int status = -1;
		char *plain = __cxa_demangle(name, NULL, NULL, &status);
		if (plain && status == 0) {
			const char *interned = strpool_intern(p, plain);
			free(plain);
			if (interned)
				return interned;
		} else {
			free(plain);
		}
	}
#endif
	return strpool_intern(p, name);
}
