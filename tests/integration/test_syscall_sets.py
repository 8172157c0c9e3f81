"""-e trace=SET (and every option that takes a syscall set: inject=,
fault=): strace 6.1's syntax — names, numbers, classes (%stat, %lstat,
%fstat, %%stat, %statfs, %fstatfs, %%statfs, %pure, %creds, %clock and
the rest, legacy names without %), "?" before, "@64"/"@32"/"@x32" after,
/regex, "!". Compared with strace: which sets it accepts, and which
syscalls a set selects on the same commands."""
import re
import shutil
import subprocess

import pytest

from conftest import PTRC, run_traced, syscalls

STRACE = shutil.which("strace")
needs_strace = pytest.mark.skipif(STRACE is None, reason="strace is not installed")

# Commands that make stat, lstat, fstat, newfstatat, statx, statfs,
# fstatfs, getuid..., clock_gettime and friends.
SCRIPT = ("ls -l / >/dev/null; stat -f / >/dev/null; df / >/dev/null 2>&1; "
          "id >/dev/null; date >/dev/null; test -L /bin; echo $$ >/dev/null")
COMMAND = ["/bin/sh", "-c", SCRIPT]

CLASSES = ["%stat", "%lstat", "%fstat", "%%stat", "%statfs", "%fstatfs",
           "%%statfs", "%pure", "%creds", "%clock", "%desc", "%file",
           "%memory", "%process", "%signal", "%ipc", "%net", "%network",
           "desc", "file", "memory", "process", "signal", "ipc", "network",
           "all", "!%file", "%file,%desc", "fstat@64", "%fstat@64",
           "/^(new)?fstat", "?nosuchcall,getuid", "4", "5@64", "?5@32,getpid"]

LINE_NAME = re.compile(r"^(?:\[pid\s+\d+\] |\d+ +)?(\w+)\(")


def names(path):
    found = set()
    for line in path.read_text(errors="replace").splitlines():
        m = LINE_NAME.match(line)
        if m:
            found.add(m.group(1))
    return found


@needs_strace
@pytest.mark.parametrize("expr", CLASSES)
def test_selects_what_strace_selects(tmp_path, expr):
    subprocess.run([STRACE, "-f", "-o", str(tmp_path / "s"), "-e",
                    "trace=" + expr, "--"] + COMMAND, check=True,
                   capture_output=True, timeout=60)
    done, _ = run_traced(tmp_path, COMMAND, "-f", "-e", "trace=" + expr)
    assert done.returncode == 0, done.stderr
    ptrc_names = names(tmp_path / "trace.txt")
    assert ptrc_names == names(tmp_path / "s")


ACCEPTED = ["%stat", "%%statfs", "?nosuch", "??nosuch", "getpid@64",
            "getpid@32", "getpid@x32", "?nosuch@32", "0", "1,2,3",
            "/^get", "!/^get", "!!getpid", "all", "none", "!none",
            "file", "%file", "%net", "getpid,?nosuch"]
REFUSED = ["nosuch", "/^nosuch", "%nosuch", "%FILE", "net", "creds", "stat@",
           "getpid@16", "getpid@", "99999", "getpid,nosuch", "/(", "?/(",
           "%pure@65"]


@pytest.mark.parametrize("expr", ACCEPTED + REFUSED)
def test_accepts_what_strace_accepts(tmp_path, expr):
    done, _ = run_traced(tmp_path, ["/bin/true"], "-e", "trace=" + expr)
    assert (done.returncode == 0) == (expr in ACCEPTED), done.stderr
    if expr in REFUSED:
        assert done.returncode == 64 and done.stderr.startswith("ptrc: ")
    if STRACE:
        theirs = subprocess.run([STRACE, "-o", "/dev/null", "-e",
                                 "trace=" + expr, "/bin/true"],
                                capture_output=True)
        assert (theirs.returncode == 0) == (done.returncode == 0), theirs.stderr


def test_personality_suffix_selects_the_architecture(tmp_path):
    # getpid@32 names only i386's getpid: a 64-bit process's is not traced.
    done, lines = run_traced(tmp_path, ["/bin/sh", "-c", "echo $$"],
                             "-e", "trace=getpid@32,write@64")
    assert done.returncode == 0, done.stderr
    assert {c["name"] for c in syscalls(lines)} <= {"write"}
