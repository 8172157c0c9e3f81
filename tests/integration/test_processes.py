"""fork, vfork, threads and execve under ptrc run."""
import re

import pytest

from conftest import (I386, M32, attribute, calls, check_unfinished_pairs,
                      fixture, run_traced, split_pid, syscalls, ticks_as_t)


def by_name(found, name):
    return [c for c in found if c["name"] == name]


@M32
def test_follow_fork_and_vfork(tmp_path, m32):
    # quiet=none: with -o, personality notes are quiet by default (strace)
    done, lines = run_traced(tmp_path, [fixture("fx_fork", m32)], "-f",
                             "-e", "quiet=none")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "child says hi\nparent done\n"
    events = attribute(lines)
    check_unfinished_pairs(events)
    found = calls(events)
    parent = events[0][0]
    assert parent is not None

    clones = [c for c in found if c["name"] in ("clone", "fork") and c["pid"] == parent]
    assert len(clones) == 1, clones
    child = int(clones[0]["ret"])
    vforks = [c for c in found if c["name"] == "vfork" and c["pid"] == parent]
    assert len(vforks) == 1, vforks
    vchild = int(vforks[0]["ret"])
    assert len({parent, child, vchild}) == 3

    # The forked child: its write and exit, under its own pid.
    assert [(c["pid"], c["args"], c["ret"]) for c in by_name(found, "write")
            if "child says" in c["args"]] == [(child, r'1, "child says hi\n", 14', "14")]
    assert (child, "+++ exited with 7 +++") in events
    waits = [c for c in by_name(found, "wait4") if c["pid"] == parent]
    assert [w["args"].split(",")[0] for w in waits] == [str(child), str(vchild)]
    assert [w["ret"] for w in waits] == [str(child), str(vchild)]
    assert [(c["args"], c["ret"]) for c in by_name(found, "exit_group")
            if c["pid"] == child] == [("7", "?")]
    sigchld = [t for p, t in events if p == parent and t.startswith("--- SIGCHLD ")]
    assert ticks_as_t(sigchld[0]) == (
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%d, "
        "si_uid=0, si_status=7, si_utime=T, si_stime=T} ---" % child)

    # The vfork child execs /bin/true (a native program) and exits 0.
    execs = [c for c in by_name(found, "execve") if c["pid"] == vchild]
    assert len(execs) == 1 and execs[0]["args"].startswith('"/bin/true", ')
    assert execs[0]["ret"] == "0"
    assert (vchild, "+++ exited with 0 +++") in events
    assert events[-1] == (parent, "+++ exited with 0 +++")
    # A note per change of personality, as strace's: the i386 parent's
    # first call (its forked child is the same program), and the vfork
    # child's return to 64 bits when it execs /bin/true.
    notes = [(p, t) for p, t in events if re.match(r"^\[ .* \]$", t)]
    if m32:
        assert [t for p, t in notes] == [
            "[ Process PID=%d runs in 32 bit mode. ]" % parent,
            "[ Process PID=%d runs in 64 bit mode. ]" % vchild], notes
        assert notes[1][0] == vchild
    else:
        assert notes == []


def test_without_f_children_are_not_traced(tmp_path):
    done, lines = run_traced(tmp_path, [fixture("fx_fork")])
    assert done.returncode == 0
    assert done.stdout == "child says hi\nparent done\n"
    assert not [l for l in lines if split_pid(l)[0] is not None]
    assert not [l for l in lines if "child says hi" in l]
    assert not [c for c in syscalls(lines, "execve") if "/bin/true" in c["args"]]
    assert len([l for l in lines if l.startswith("+++")]) == 1
    assert lines[-1] == "+++ exited with 0 +++"


@M32
@pytest.mark.parametrize("follow", [False, True], ids=["threads", "threads-f"])
def test_threads(tmp_path, m32, follow):
    """Threads are always followed; each thread's writes carry its tid."""
    nthreads, repeats = 4, 5
    opts = ["-f"] if follow else []
    done, lines = run_traced(tmp_path, [fixture("fx_threads", m32), str(nthreads),
                                        str(repeats)], *opts)
    assert done.returncode == 0, done.stderr
    events = attribute(lines)
    check_unfinished_pairs(events)
    found = calls(events)
    main = events[0][0]

    tids = {}
    for c in by_name(found, "write"):
        m = re.match(r'^3, "thread-(\d+)\\n", 9$', c["args"])
        if m:
            assert c["ret"] == "9"
            tids.setdefault(int(m.group(1)), []).append(c["pid"])
    assert sorted(tids) == list(range(nthreads))
    for i, pids in tids.items():
        assert len(pids) == repeats, (i, pids)
        assert len(set(pids)) == 1, (i, pids)      # all from one thread
    thread_tids = {pids[0] for pids in tids.values()}
    assert len(thread_tids) == nthreads and main not in thread_tids
    for tid in thread_tids:
        assert (tid, "+++ exited with 0 +++") in events
    # Every line of a thread carries its pid (-o: the column, on from
    # the first line with -f, from the second thread's first without).
    assert all(split_pid(l)[0] is not None for l in lines
               if re.search(r'"thread-\d', l))
    if follow:
        assert all(split_pid(l)[0] is not None for l in lines)
    assert events[-1] == (main, "+++ exited with 0 +++")
    assert [(c["pid"], c["args"], c["ret"]) for c in by_name(found, "write")
            if c["args"].startswith("1, ")] == [(main, '1, "threads done\\n", 13', "13")]


@M32
@I386  # both ways: the native program execs the i386 one
def test_exec_by_the_leader(tmp_path, m32):
    """fx_exec (native or i386) execs fx_basic of the other kind."""
    target = fixture("fx_basic", not m32)
    done, lines = run_traced(tmp_path, [fixture("fx_exec", m32), "leader",
                                        target, "9", str(tmp_path)],
                             "-e", "quiet=none")
    assert done.returncode == 9, done.stderr
    execs = syscalls(lines, "execve")
    assert len(execs) == 2
    assert execs[1]["args"].startswith('"%s", ' % target) and execs[1]["ret"] == "0"
    after = lines[lines.index(next(l for l in lines if l.startswith('execve("%s"' % target))):]
    assert 'write(1, "hello from fx_basic\\n", 20)   = 20' in after
    assert lines[-1] == "+++ exited with 9 +++"
    # A note per change of personality: while the i386 program runs, and
    # after the exec into the other kind (strace notes both).
    notes = [l for l in lines if re.match(r"^\[ .* \]$", l)]
    exec_at = lines.index(after[0])
    if m32:
        assert [("32 bit" in n, lines.index(n) < exec_at) for n in notes] == \
            [(True, True), (False, False)], notes
        assert "64 bit" in notes[1]
    else:
        assert len(notes) == 1 and "32 bit" in notes[0], notes
        assert lines.index(notes[0]) > exec_at


@M32
def test_exec_by_a_thread_switches_pid(tmp_path, m32):
    """A non-leader thread execs: the leader is superseded, and the new
    program runs under the leader's pid."""
    done, lines = run_traced(tmp_path, [fixture("fx_exec", m32), "thread",
                                        fixture("fx_basic", m32), "5", str(tmp_path)])
    assert done.returncode == 5, done.stderr
    m = re.search(r"^fx_exec thread tid=(\d+)$", done.stdout, re.M)
    thread = int(m.group(1))
    events = attribute(lines)
    check_unfinished_pairs(events)
    leader = events[0][0]
    assert leader != thread

    sup = [(p, t) for p, t in events if t.startswith("+++ superseded")]
    assert sup == [(leader, "+++ superseded by execve in pid %d +++" % thread)]
    lines_of_thread = [t for p, t in events if p == thread]
    assert any(t.startswith('execve("%s"' % fixture("fx_basic", m32)) for t in lines_of_thread)
    # After the switch, everything is the leader's: the execve's return
    # and the new program's calls.
    rest = events[events.index(sup[0]) + 1:]
    assert rest, lines
    assert {p for p, t in rest} == {leader}, rest
    assert rest[0][1].startswith("<... execve resumed>") and rest[0][1].endswith("= 0")
    found = calls(rest)
    assert [c["ret"] for c in found if c["name"] == "openat"
            and "/nonexistent/ptrc-fixture" in c["args"]] == \
        ["-1 ENOENT (No such file or directory)"]
    assert rest[-1] == (leader, "+++ exited with 5 +++")
    # No line names the old thread id after the switch.
    assert not [l for l in lines[lines.index(next(l for l in lines if "superseded" in l)):]
                if split_pid(l)[0] == thread]
