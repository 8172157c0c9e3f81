/* Kernel values that the C library headers hide or redefine, for the xlat
 * tables (included by the generated xlat_tables.c). Each is the value the
 * kernel takes from a tracee of the target architecture; the .tbl files
 * name them as fallbacks. asm-generic's value serves x86_64, i386 and
 * aarch64 unless a line below says otherwise. */
#ifndef PTRC_XLAT_KERNEL_VALUES_H
#define PTRC_XLAT_KERNEL_VALUES_H

/* glibc defines O_LARGEFILE as 0 on 64-bit targets, yet 32-bit tracees
 * (and some 64-bit programs) pass the kernel's bit. */
#if defined(__aarch64__)
# define KERNEL_O_LARGEFILE 0400000
#else
# define KERNEL_O_LARGEFILE 0100000
#endif

/* The bits of O_SYNC and O_TMPFILE beyond O_DSYNC and O_DIRECTORY, which
 * glibc does not define alone. */
#define KERNEL___O_SYNC 04000000
#define KERNEL___O_TMPFILE 020000000

#endif
