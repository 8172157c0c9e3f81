"""The register fallback for kernels without PTRACE_GET_SYSCALL_INFO
(< 5.3): PTRC_NO_SYSCALL_INFO=1 forces it, and the trace must be the one
PTRACE_GET_SYSCALL_INFO gives, syscall by syscall (names, arguments, return
values), once pids (and addresses, when ASLR cannot be turned off) are
made comparable."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import (M32, NEW_TASK, PTRC, RESUMED, UNFINISHED, attribute,
                      fixture, ticks_as_t)

SETARCH = shutil.which("setarch")


def _no_aslr_works():
    if not SETARCH:
        return False
    try:
        return subprocess.run([SETARCH, "-R", "true"], capture_output=True,
                              timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


NO_ASLR = _no_aslr_works()
ADDRESS = re.compile(r"\b0x[0-9a-f]{5,}\b")


def run(tmp_path, name, command, options, no_info):
    """ptrc run OPTIONS -- COMMAND with PTRC_NO_SYSCALL_INFO=NO_INFO (the
    same environment size either way, so that execve's "/* N vars */"
    and, without ASLR, the stack addresses agree)."""
    out = tmp_path / ("%s-%s.txt" % (name, no_info))
    env = dict(os.environ, PTRC_NO_SYSCALL_INFO=no_info)
    argv = [PTRC, "run", "-o", str(out), *options, "--", *command]
    if NO_ASLR:
        argv = [SETARCH, "-R", *argv]
    done = subprocess.run(argv, capture_output=True, text=True,
                          errors="replace", timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "ptrc:" not in done.stderr, done.stderr
    return done, out.read_text(errors="replace").splitlines()


def per_task(lines):
    """{pid: [line, ...]}: each task's lines in order, an <unfinished ...>
    joined with its <... resumed>."""
    tasks = {}
    pending = {}
    for pid, text in attribute(lines):
        seq = tasks.setdefault(pid, [])
        m = UNFINISHED.match(text)
        if m:
            pending[pid] = (m.group("name"), m.group("args"))
            continue
        m = RESUMED.match(text)
        if m and pid in pending:
            name, head = pending.pop(pid)
            seq.append("%s(%s%s) = %s" % (name, head, m.group("args"),
                                          m.group("ret")))
            continue
        seq.append(re.sub(r"\)\s+= ", ") = ", text))
    for pid, (name, head) in pending.items():
        tasks[pid].append("%s(%s <unfinished ...>" % (name, head))
    return tasks


def canonical(lines):
    """The trace as {task name: lines}: the first task is T, the tasks it
    creates T.1, T.2, ... in the order of its clone/fork/vfork returns,
    and so on; pids in the text become those names."""
    tasks = per_task(lines)
    first = next(iter(tasks))
    names = {first: "T"}
    order = [first]
    for pid in order:
        k = 0
        for text in tasks.get(pid, []):
            m = NEW_TASK.match(text)
            if m and int(m.group("pid")) not in names:
                k += 1
                child = int(m.group("pid"))
                names[child] = "%s.%d" % (names[pid], k)
                order.append(child)
    assert set(tasks) <= set(names), (set(tasks) - set(names), names)

    def fix(text):
        for pid, name in names.items():
            if pid is not None:
                text = re.sub(r"\b%d\b" % pid, "<%s>" % name, text)
        if not NO_ASLR:
            text = ADDRESS.sub("0xADDR", text)
        # glibc's malloc seeds its tcache from getrandom in threaded runs
        return ticks_as_t(re.sub(r'^getrandom\("[^"]*"', 'getrandom("..."', text))

    return {names[pid]: [fix(t) for t in seq] for pid, seq in tasks.items()}


def compare(tmp_path, name, command, *options, least=20, racy=()):
    """RACY: syscall names whose count depends on thread scheduling (a
    join's futex waits), left out of both traces."""
    done0, lines0 = run(tmp_path, name, command, options, "0")
    done1, lines1 = run(tmp_path, name, command, options, "1")
    assert done1.stdout == done0.stdout
    want, got = canonical(lines0), canonical(lines1)
    for trace in (want, got):
        for task in trace:
            trace[task] = [t for t in trace[task]
                           if not t.startswith(tuple(n + "(" for n in racy))]
    # A SIGCHLD's place among the parent's syscalls follows the scheduling
    # (the child may end before the parent's wait4 or during it): compared
    # as a set per task.
    for task in want:
        assert sorted(t for t in got.get(task, []) if t.startswith("--- SIGCHLD")) == \
            sorted(t for t in want[task] if t.startswith("--- SIGCHLD")), task
    for trace in (want, got):
        for task in trace:
            trace[task] = [t for t in trace[task] if not t.startswith("--- SIGCHLD")]
    assert sorted(got) == sorted(want)
    for task in want:
        assert len(got[task]) == len(want[task]), task
        for n, (g, w) in enumerate(zip(got[task], want[task])):
            assert g == w, "task %s, line %d" % (task, n)
    # A real trace, not two empty ones.
    assert sum(len(seq) for seq in want.values()) >= least
    return want


@M32
def test_basic(tmp_path, m32):
    trace = compare(tmp_path, "basic", [fixture("fx_basic", m32)])
    assert any(t.startswith("write(1, ") for t in trace["T"])
    # errors survive too (a negative return as -1 ENOENT ...)
    assert any(" = -1 E" in t for t in trace["T"])


@M32
def test_fork(tmp_path, m32):
    trace = compare(tmp_path, "fork", [fixture("fx_fork", m32)], "-f")
    assert len(trace) == 3, sorted(trace)
    assert "+++ exited with 7 +++" in trace["T.1"]


def test_strings(tmp_path):
    compare(tmp_path, "strings", [fixture("fx_strings")])


def test_seccomp_filter(tmp_path):
    """-e trace= runs the child under a seccomp filter: its stops are
    PTRACE_EVENT_SECCOMP then the exit stop, without entry stops."""
    trace = compare(tmp_path, "seccomp", [fixture("fx_strings")],
                    "-e", "trace=write,openat", least=8)
    assert all(t.startswith(("write(", "openat(", "+++"))
               for t in trace["T"]), trace["T"]


def test_threads(tmp_path):
    compare(tmp_path, "threads", [fixture("fx_threads")], "-f", racy=("futex",))
