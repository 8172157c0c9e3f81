#!/usr/bin/env python3
"""Check ptrc's syscall data files against the kernel and against each other.

  test_syscall_tables.py [REPO_ROOT]      (default: this script's ../..)

1. arch/<arch>/syscalls.tbl gives every syscall of the kernel UAPI headers
   (tools/kernel_syscall_numbers.py) the kernel's number. Numbers past the
   headers (newer kernels) are allowed.
2. Every name in an arch table has a signature in src/syscall/signatures.tbl,
   every signature is used by some arch, nothing is given twice, and every
   kind, return kind and class is known.
3. Well-known signatures are spot-checked, so a careless edit fails.

Prints every mismatch and a one-line summary; exits 0 on success, 1 on
failure. Needs only python3 and cpp (plus linux-libc-dev and
linux-libc-dev-arm64-cross for the headers).
"""
import importlib.util
import os
import sys

ARCHES = ["x86_64", "i386", "aarch64"]
# __NR_ names in the headers that are not syscalls.
NOT_SYSCALLS = {"arch_specific_syscall"}
RETS = {"int", "uint", "hex", "oct", "fd", "none"}
CLASSES = {"file", "network", "process", "signal", "ipc", "desc", "memory",
           "creds", "stat", "clock", "pure", "lstat", "fstat", "statlike",
           "statfs", "fstatfs", "statfslike"}

# name: (ret, number of args, {index: "kind" or "kind:aux"}, classes).
# Only the listed argument indexes are checked; classes must match exactly.
# Shared names carry their x86_64 meaning.
SPOT = {
    "read":            ("int", 3, {0: "fd", 1: "obuf:2", 2: "size"}, "desc"),
    "write":           ("int", 3, {0: "fd", 1: "ibuf:2", 2: "size"}, "desc"),
    "open":            ("fd", 3, {0: "path", 1: "oflags", 2: "mode"},
                        "desc,file"),
    "openat":          ("fd", 4, {0: "dirfd", 1: "path", 2: "oflags",
                                  3: "mode"}, "desc,file"),
    "close":           ("int", 1, {0: "fd"}, "desc"),
    "pread64":         ("int", 4, {1: "obuf:2", 3: "off"}, "desc"),
    "readv":           ("int", 3, {1: "iovec_out:2"}, "desc"),
    "writev":          ("int", 3, {1: "iovec_in:2"}, "desc"),
    "fstat":           ("int", 2, {0: "fd", 1: "stat_out"}, "desc,fstat,statlike"),
    "stat":            ("int", 2, {0: "path", 1: "stat_out"}, "file,stat,statlike"),
    "newfstatat":      ("int", 4, {0: "dirfd", 1: "path", 2: "stat_out",
                                   3: "atflags"}, "desc,file,fstat,statlike"),
    "statx":           ("int", 5, {4: "statx_out"}, "desc,file,fstat,statlike"),
    "getdents64":      ("int", 3, {1: "dirents64_out:2"}, "desc"),
    "mmap":            ("hex", 6, {1: "size", 2: "mmap_prot", 3: "mmap_flags",
                                   4: "fd", 5: "off"}, "desc,memory"),
    "mmap2":           ("hex", 6, {4: "fd"}, "desc,memory"),
    "munmap":          ("int", 2, {}, "memory"),
    "brk":             ("hex", 1, {}, "memory"),
    "mremap":          ("hex", 5, {}, "memory"),
    "shmat":           ("hex", 3, {}, "ipc,memory"),
    "umask":           ("oct", 1, {0: "mode"}, "-"),
    "clone":           ("int", 5, {0: "clone_flags"}, "process"),
    "execve":          ("int", 3, {0: "path", 1: "argv", 2: "envp"},
                        "file,process"),
    "execveat":        ("int", 5, {1: "path", 4: "atflags"},
                        "desc,file,process"),
    "exit":            ("none", 1, {}, "process"),
    "exit_group":      ("none", 1, {}, "process"),
    "wait4":           ("int", 4, {1: "wstatus_out", 2: "wait_options",
                                   3: "rusage_out"}, "process"),
    "getpid":          (None, 0, {}, "pure"),
    "getuid":          (None, 0, {}, "creds,pure"),
    "kill":            ("int", 2, {1: "signum"}, "signal,process"),
    "rt_sigaction":    ("int", 4, {0: "signum", 1: "sigaction_in",
                                   2: "sigaction_out"}, "signal"),
    "rt_sigprocmask":  ("int", 4, {0: "sigprocmask_how", 1: "sigset_in:3",
                                   2: "sigset_out:3"}, "signal"),
    "futex":           ("int", 6, {1: "futex_op"}, "-"),
    "futex_time64":    ("int", 6, {3: "timespec64_in"}, "-"),
    "ppoll":           ("int", 5, {0: "pollfd:1"}, "desc"),
    "pselect6":        ("int", 6, {}, "desc"),
    "select":          ("int", 5, {}, "desc"),
    "epoll_wait":      ("int", 4, {1: "epoll_events_out:2"}, "desc"),
    "epoll_pwait":     ("int", 6, {1: "epoll_events_out:2"}, "desc"),
    "epoll_create1":   ("fd", 1, {}, "desc"),
    "eventfd2":        ("fd", 2, {}, "desc"),
    "dup":             ("fd", 1, {}, "desc"),
    "pipe2":           ("int", 2, {0: "fds_out", 1: "pipe_flags"}, "desc"),
    "socket":          ("fd", 3, {0: "sock_domain", 1: "sock_type",
                                  2: "sock_proto"}, "network"),
    "connect":         ("int", 3, {1: "sockaddr_in:2"}, "network"),
    "accept4":         ("fd", 4, {1: "sockaddr_out:2", 2: "socklen_out",
                                  3: "sock_type"}, "network"),
    "recvfrom":        ("int", 6, {1: "obuf:2", 4: "sockaddr_out:5"},
                        "network"),
    "getsockopt":      ("int", 5, {3: "sockopt_out:4"}, "network"),
    "sendfile":        ("int", 4, {}, "desc,network"),
    "socketcall":      ("int", 2, {0: "socketcall_call"}, None),
    "_llseek":         ("int", 5, {0: "fd", 3: "loff_out", 4: "whence"},
                        "desc"),
    "ipc":             ("int", 6, {}, "ipc"),
    "clock_gettime":   ("int", 2, {0: "clockid", 1: "timespec_out"}, "clock"),
    "clock_gettime64": ("int", 2, {1: "timespec64_out"}, "clock"),
    "nanosleep":       ("int", 2, {0: "timespec_in"}, "-"),
    "uname":           ("int", 1, {0: "utsname_out"}, "-"),
    "prlimit64":       ("int", 4, {1: "rlimit_resource"}, "-"),
    "ioctl":           ("int", 3, {0: "fd", 1: "ioctl_cmd"}, "desc"),
    "fcntl":           ("int", 3, {1: "fcntl_cmd"}, "desc"),
    "restart_syscall": ("int", 0, {}, "-"),
}


def rows(path, errors):
    """(lineno, columns) of a data file, # comments and blank lines dropped."""
    try:
        with open(path) as f:
            for lineno, line in enumerate(f, 1):
                line = line.split("#", 1)[0].strip()
                if line:
                    yield lineno, line.split()
    except OSError as e:
        errors.append(f"{path}: {e.strerror}")


def read_kinds(path, errors):
    kinds = set()
    for lineno, cols in rows(path, errors):
        widths = ("16", "32", "word")
        if len(cols) not in (3, 4) or (
                len(cols) == 4 and not all(
                    w in widths for w in cols[3].split("/i386="))):
            errors.append(f"{path}:{lineno}: expected NAME WHEN BASE "
                          "[16|32|word]")
        elif cols[0] in kinds:
            errors.append(f"{path}:{lineno}: duplicate kind {cols[0]}")
        kinds.add(cols[0])
    return kinds


def read_sigs(path, kinds, errors):
    """name -> (ret, [arg strings], classes string)"""
    sigs = {}
    for lineno, cols in rows(path, errors):
        where = f"{path}:{lineno}"
        if len(cols) != 4:
            errors.append(f"{where}: expected NAME RET ARGS CLASSES")
            continue
        name, ret, args, classes = cols
        if name in sigs:
            errors.append(f"{where}: duplicate signature {name}")
        if ret not in RETS:
            errors.append(f"{where}: {name}: unknown return kind {ret}")
        arglist = [] if args == "-" else args.split(",")
        if len(arglist) > 6:
            errors.append(f"{where}: {name}: more than 6 arguments")
        for arg in arglist:
            kind, _, aux = arg.partition(":")
            if kind not in kinds:
                errors.append(f"{where}: {name}: unknown kind {kind}")
            if aux and not (aux.isdigit() and int(aux) < len(arglist)):
                errors.append(f"{where}: {name}: bad aux index in {arg}")
        for c in ([] if classes == "-" else classes.split(",")):
            if c not in CLASSES:
                errors.append(f"{where}: {name}: unknown class {c}")
        sigs[name] = (ret, arglist, classes)
    return sigs


def read_arch(path, errors):
    """name -> number"""
    by_name, by_nr = {}, {}
    for lineno, cols in rows(path, errors):
        where = f"{path}:{lineno}"
        if len(cols) != 2 or not cols[0].isdigit():
            errors.append(f"{where}: expected NUMBER NAME")
            continue
        nr, name = int(cols[0]), cols[1]
        if nr in by_nr:
            errors.append(f"{where}: number {nr} given twice "
                          f"({by_nr[nr]}, {name})")
        if name in by_name:
            errors.append(f"{where}: {name} given twice")
        by_nr[nr] = name
        by_name[name] = nr
    return by_name


def load_kernel_numbers(root):
    path = os.path.join(root, "tools", "kernel_syscall_numbers.py")
    spec = importlib.util.spec_from_file_location("kernel_syscall_numbers",
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.numbers


def check_kernel(root, tables, errors):
    try:
        numbers = load_kernel_numbers(root)
    except Exception as e:  # noqa: BLE001 - any import failure is a failure
        errors.append(f"cannot load tools/kernel_syscall_numbers.py: {e}")
        return 0
    checked = 0
    for arch in ARCHES:
        try:
            kernel = numbers(arch)
        except Exception as e:  # noqa: BLE001 - cpp missing, header missing
            detail = getattr(e, "stderr", "") or str(e)
            errors.append(f"{arch}: cannot read the kernel headers: "
                          f"{detail.strip().splitlines()[0] if detail else e}")
            continue
        if not kernel:
            errors.append(f"{arch}: the kernel headers define no syscalls")
        table = tables[arch]
        for name, nr in sorted(kernel.items(), key=lambda kv: kv[1]):
            if name in NOT_SYSCALLS:
                continue
            checked += 1
            if name not in table:
                errors.append(f"{arch}: {name} ({nr}) missing from "
                              f"arch/{arch}/syscalls.tbl")
            elif table[name] != nr:
                errors.append(f"{arch}: {name} is {table[name]} in "
                              f"arch/{arch}/syscalls.tbl, {nr} in the kernel")
    return checked


def check_coverage(tables, sigs, errors):
    used = set()
    for arch in ARCHES:
        for name in sorted(tables[arch]):
            used.add(name)
            if name not in sigs:
                errors.append(f"{arch}: {name} has no signature")
    # i386 socketcall's SYS_SEND and SYS_RECV have no number of their own
    # anywhere; their signatures decode the sub-calls (syscall_format.c)
    used |= {"send", "recv"}
    for name in sorted(set(sigs) - used):
        errors.append(f"signature {name} is used by no architecture")


def check_spot(sigs, errors):
    for name, (ret, nargs, kinds, classes) in SPOT.items():
        if name not in sigs:
            errors.append(f"spot check: no signature for {name}")
            continue
        got_ret, args, got_classes = sigs[name]
        if ret is not None and got_ret != ret:
            errors.append(f"spot check: {name} returns {got_ret}, "
                          f"expected {ret}")
        if len(args) != nargs:
            errors.append(f"spot check: {name} has {len(args)} args, "
                          f"expected {nargs}")
        for i, kind in kinds.items():
            got = args[i] if i < len(args) else "(none)"
            if got != kind:
                errors.append(f"spot check: {name} arg {i} is {got}, "
                              f"expected {kind}")
        if classes is not None and \
                sorted(got_classes.split(",")) != sorted(classes.split(",")):
            errors.append(f"spot check: {name} classes are {got_classes}, "
                          f"expected {classes}")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..")
    errors = []
    kinds = read_kinds(os.path.join(root, "src/syscall/argkinds.tbl"), errors)
    sigs = read_sigs(os.path.join(root, "src/syscall/signatures.tbl"), kinds,
                     errors)
    tables = {arch: read_arch(os.path.join(root, "arch", arch, "syscalls.tbl"),
                              errors)
              for arch in ARCHES}
    checked = check_kernel(root, tables, errors)
    check_coverage(tables, sigs, errors)
    check_spot(sigs, errors)

    for e in errors:
        print(f"FAIL: {e}")
    counts = ", ".join(f"{arch} {len(tables[arch])}" for arch in ARCHES)
    status = "FAILED" if errors else "ok"
    print(f"syscall tables {status}: {len(sigs)} signatures, {len(kinds)} "
          f"kinds; arch tables {counts}; {checked} kernel numbers and "
          f"{len(SPOT)} spot checks; {len(errors)} problem(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
