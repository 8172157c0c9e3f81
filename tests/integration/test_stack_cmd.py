"""ptrc stack PID: every thread's stack of a live process, then detach.
Checked against fixtures/stack_threads.c (9 threads in known places, lines
marked LINE:<name>)."""
import json
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import (FIXTURES, I386, PTRC, program, proc_state, tracer_of,
                      wait_for)

SOURCE = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures",
                      "stack_threads.c")
RECURSION_DEPTH = 10


def markers():
    found = {}
    with open(SOURCE) as f:
        for number, line in enumerate(f, 1):
            m = re.search(r"LINE:(\w+)", line)
            if m:
                found[m.group(1)] = number
    return found


def expected(role, m32=False):
    """(function, marker, inlined) of the fixture's own frames, innermost
    first, for thread ROLE (as tests/unit/test_stack.c)."""
    if role == 0:
        frames = [("wait_here_0", "wait_here_0", False), ("main", "main", False)]
        return frames if m32 else frames + [("_start", None, False)]
    if role == 4:
        frames = [("wait_here_4", "wait_here_4", False),
                  ("recurse", "recurse_base", False)]
        frames += [("recurse", "recurse", False)] * RECURSION_DEPTH
        frames += [("recursion_start", "recursion_start", False)]
    elif role == 5:
        frames = [("inlined_wait", "inlined_wait", True),
                  ("wait_here_5", "wait_here_5", False)]
    elif role == 6:
        frames = [("wait_in_handler", "wait_in_handler", False),
                  ("on_signal", "on_signal", False),
                  ("wait_here_6", "wait_here_6", False)]
    else:
        frames = [("wait_here_%d" % role, "wait_here_%d" % role, False)]
    return frames + [("thread_start", "thread_start", False)]


@pytest.fixture
def stack_threads(background):
    def start(name="stack_threads"):
        path = program(os.path.join(FIXTURES, name))
        p = background([path], stdout=subprocess.PIPE)
        assert p.proc.stdout.readline() == b"ready\n"
        # "ready" comes just before main goes to sleep in wait_here_0
        assert wait_for(lambda: all(proc_state(int(t)) == "S" for t in
                                    os.listdir("/proc/%d/task" % p.pid)))
        return p, path
    return start


def snapshot(pid, *options):
    done = subprocess.run([PTRC, "stack", "--json", *options, str(pid)],
                          capture_output=True, text=True, timeout=60)
    return done.returncode, json.loads(done.stdout) if done.stdout else None, done


def check_threads(doc, exe, m32=False):
    lines = markers()
    exe = os.path.realpath(exe)
    threads = doc["threads"]
    assert len(threads) == 9
    roles = set()
    for t in threads:
        role = 0 if t["tid"] == doc["pid"] else int(t["comm"].split("_")[1])
        roles.add(role)
        assert t["walk"] == "complete", t["stop_reason"]
        own = [f for f in t["frames"]
               if f["module"] and os.path.realpath(f["module"]) == exe]
        want = expected(role, m32)
        got = [(f["function"], f["line"], f["inlined"]) for f in own]
        assert len(own) == len(want), (role, got)
        for f, (function, marker, inlined) in zip(own, want):
            assert f["function"] == function, (role, got)
            assert f["inlined"] == inlined, (role, got)
            if marker:
                assert f["line"] == lines[marker], (role, marker, got)
                assert os.path.basename(f["file"]) == "stack_threads.c"
    assert roles == set(range(9))


@pytest.mark.parametrize("unwinder", ["libdw", "libunwind"])
def test_stack_threads(stack_threads, unwinder):
    p, exe = stack_threads()
    status, doc, done = snapshot(p.pid, "--unwinder=" + unwinder)
    assert status == 0, done.stderr
    assert doc["pid"] == p.pid and doc["unwinder"] == unwinder
    check_threads(doc, exe)
    assert any(m["build_id"] for m in doc["modules"])
    # the process goes on, untraced
    assert wait_for(lambda: tracer_of(p.pid) == 0)
    assert proc_state(p.pid) in ("S", "R")


@I386
def test_stack_threads_m32(stack_threads):
    p, exe = stack_threads("stack_threads_m32")
    status, doc, done = snapshot(p.pid)
    # every walk complete, the main thread's through main to _start too
    # (src/stack/thread_state32.c)
    assert status == 0, done.stderr
    lines = markers()
    for t in doc["threads"]:
        own = [f for f in t["frames"] if f["module"] and
               os.path.realpath(f["module"]) == os.path.realpath(exe)]
        assert own and own[0]["function"].startswith(("wait_", "inlined_wait"))
        assert own[0]["line"] == lines[own[0]["function"]]


def test_unwinders_agree(stack_threads):
    p, exe = stack_threads()
    pcs = []
    for unwinder in ("libdw", "libunwind"):
        _, doc, _ = snapshot(p.pid, "--unwinder=" + unwinder)
        pcs.append({t["tid"]: [f["pc"] for f in t["frames"]
                               if not f["inlined"] and f["module"] and
                               os.path.realpath(f["module"]) == os.path.realpath(exe)]
                    for t in doc["threads"]})
    assert pcs[0] == pcs[1]


def test_text(stack_threads):
    p, exe = stack_threads()
    done = subprocess.run([PTRC, "stack", str(p.pid)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0
    text = done.stdout
    assert text.startswith("PID %d - process\n" % p.pid)
    assert len(re.findall(r"^Thread \d+ \(", text, re.M)) == 9
    line = markers()["inlined_wait"]
    assert re.search(r"^#\d+ +0x[0-9a-f]+ in inlined_wait \(inlined\) at \S*stack_threads\.c:%d" % line,
                     text, re.M)


def test_stopped_process_stays_stopped(stack_threads):
    p, exe = stack_threads()
    os.kill(p.pid, signal.SIGSTOP)
    assert wait_for(lambda: proc_state(p.pid) == "T")
    status, doc, done = snapshot(p.pid)
    assert status == 0, done.stderr
    assert len(doc["threads"]) == 9
    time.sleep(0.1)
    assert proc_state(p.pid) == "T" and tracer_of(p.pid) == 0
    os.kill(p.pid, signal.SIGCONT)


def test_no_cfi_is_partial(stack_threads):
    p, exe = stack_threads("stack_threads_nocfi")
    status, doc, done = snapshot(p.pid)
    assert status in (1, 2)
    assert any(t["stop_reason"] for t in doc["threads"])


def test_errors():
    done = subprocess.run([PTRC, "stack", "999999999"], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode != 0 and "999999999" in done.stderr
    done = subprocess.run([PTRC, "stack", "--crash", "1"], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 64
