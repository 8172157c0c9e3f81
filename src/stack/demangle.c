/* C++ names. The demangler lives in the C++ runtime (libstdc++'s
 * __cxa_demangle has C linkage, as eu-stack uses it). It is loaded with
 * dlopen the first time a mangled name shows up: linked in, libstdc++ and
 * libm would load with every ptrc (about 1 MiB resident, and part of the
 * start-up time a --crash run adds), though most stacks of a C daemon
 * hold no C++ name. Without the runtime names stay mangled, which is still
 * exact. */
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "symbolize.h"

/* Longer names stay mangled: the demangler recurses on hostile input. */
#define DEMANGLE_MAX_INPUT 4096
#define CXX_RUNTIME "libstdc++.so.6"

typedef char *(*cxa_demangle_fn)(const char *mangled, char *buffer,
				 size_t *length, int *status);

static cxa_demangle_fn demangler(void)
{
	static bool tried;
	static cxa_demangle_fn fn;
	if (!tried) {
		tried = true;
		void *runtime = dlopen(CXX_RUNTIME, RTLD_LAZY | RTLD_LOCAL);
		if (runtime)
			*(void **)&fn = dlsym(runtime, "__cxa_demangle");
	}
	return fn;
}

const char *stack_demangle(struct strpool *p, const char *name)
{
	cxa_demangle_fn fn;
	if (name[0] == '_' && name[1] == 'Z' &&
	    strnlen(name, DEMANGLE_MAX_INPUT) < DEMANGLE_MAX_INPUT &&
	    (fn = demangler())) {
		int status = -1;
		char *plain = fn(name, NULL, NULL, &status);
		if (plain && status == 0) {
			const char *interned = stack_strpool_intern(p, plain);
			free(plain);
			if (interned)
				return interned;
		} else {
			free(plain);
		}
	}
	return stack_strpool_intern(p, name);
}
