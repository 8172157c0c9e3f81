"""The crash report's "what every thread was doing": the syscall each held
thread was inside, decoded as strace prints it. Fixture crash_syscalls:
threads blocked in read, futex (a mutex, a condition), clock_nanosleep,
epoll_wait, poll, accept and an open of a FIFO (a name with a newline and
byte 0xff), one spinning in user code; main crashes once
each sleeps in its call and has printed its /proc/TID/syscall line.

Oracles: /proc/TID/syscall (number and raw arguments, read by the fixture
while the thread waits there) and strace 6.1 -f -yy on the same fixture
(the `<unfinished ...>` line of each thread's call: ptrc's text must start
with exactly what strace printed at the call's entry)."""
import ctypes
import json
import os
import re
import shutil
import signal
import subprocess

import pytest

from conftest import FIXTURES, PTRC, i386, program, tracer_of, wait_for

BUILDS = ["O2", "O0", i386("O2-m32")]
STRACE = "/usr/bin/strace"


def fixture(build):
    return program("%s/crash_syscalls-%s" % (FIXTURES, build))


def fixture_lines(stdout):
    """{label: (tid, proc fields or None)} from the fixture's lines."""
    found = {}
    for line in stdout.splitlines():
        words = line.split()
        if words and words[0] == "blocked":
            found[words[1]] = (int(words[2]), words[3:])
        elif words and words[0] == "spinning":
            found[words[1]] = (int(words[2]), None)
    return found


def run_report(tmp_path, exe, how, *options):
    """ptrc run --crash --json on the fixture: (exit status, report,
    fixture lines)."""
    out = tmp_path / "report.json"
    done = subprocess.run([PTRC, "run", "--crash", "--json", "-o", str(out),
                           *options, "--", exe, how], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    docs = [json.loads(l) for l in out.read_text().splitlines() if l.strip()]
    [report] = [d for d in docs if d.get("type") == "crash"]
    return done.returncode, report, fixture_lines(done.stdout)


def normalized(text):
    """What differs between two runs of the fixture: addresses, inodes,
    the listening port."""
    text = re.sub(r"0x[0-9a-f]+", "0xADDR", text)
    text = re.sub(r"(pipe|anon_inode|socket):\[\d+\]", r"\1:[INODE]", text)
    # a socket sock_diag could not describe (a kernel without the diag
    # modules, as in the i386 guest) shows its inode alone
    text = re.sub(r"(TCP|UDP|UNIX|NETLINK)(-STREAM)?:\[\d+\]", r"\1\2:[INODE]", text)
    return re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", text)


def strace_entries(tmp_path, exe, how):
    """{label: the entry part strace 6.1 printed of that thread's last
    unfinished call}, from `strace -f -yy` of a run of the fixture."""
    log = tmp_path / "strace.txt"
    done = subprocess.run([STRACE, "-f", "-yy", "-qq", "-o", str(log), exe,
                           how], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60)
    last = {}
    for line in log.read_text().splitlines():
        m = re.match(r"(\d+) +(\w.*) <unfinished \.\.\.>$", line)
        if m:
            last[int(m.group(1))] = m.group(2)
    return {label: last.get(tid)
            for label, (tid, _) in fixture_lines(done.stdout).items()}


def threads_by_label(report, lines):
    by_tid = {t["tid"]: t for t in report["threads"]}
    return {label: by_tid[tid] for label, (tid, _) in lines.items()}


@pytest.mark.parametrize("build", BUILDS)
def test_blocked_threads_match_proc(tmp_path, build):
    exe = fixture(build)
    status, report, lines = run_report(tmp_path, exe, "segv")
    assert status == 128 + signal.SIGSEGV
    assert len(lines) == 9, lines
    threads = threads_by_label(report, lines)
    arch = "i386" if build.endswith("m32") else "x86_64"
    for label, (tid, proc) in lines.items():
        sc = threads[label]["syscall"]
        if proc is None:  # spinning in user code
            assert sc is None, (label, sc)
            continue
        assert sc is not None, label
        assert sc["state"] == "blocked", (label, sc)
        assert sc["arch"] == arch
        assert sc["number"] == int(proc[0]), (label, sc, proc)
        assert sc["args"] == ["0x%x" % int(a, 16) for a in proc[1:7]], label
        assert sc["return"] is None
        # a restart code or EINTR (epoll_wait is not restarted)
        assert sc["return_register"] in (-512, -513, -514, -516, -4), sc
        assert sc["text"].startswith(sc["name"] + "("), sc
    crashed = report["threads"][0]
    assert crashed["crashed"] and crashed["syscall"] is None  # a fault


@pytest.mark.parametrize("build", BUILDS)
def test_blocked_threads_match_strace(tmp_path, build):
    if not shutil.which(STRACE):
        pytest.skip("no strace")
    exe = fixture(build)
    _, report, lines = run_report(tmp_path, exe, "segv")
    threads = threads_by_label(report, lines)
    entries = strace_entries(tmp_path, exe, "segv")
    compared = 0
    for label, entry in entries.items():
        if label == "spin":
            continue
        assert entry, (label, "strace printed no unfinished call")
        ours = threads[label]["syscall"]["text"]
        assert normalized(ours).startswith(normalized(entry).rstrip()), (
            label, ours, entry)
        compared += 1
    assert compared == 8


def test_x86_64_texts(tmp_path):
    """The calls as a reader sees them (x86_64 glibc's calls: i386's glibc
    makes clock_nanosleep_time64, socketcall... instead)."""
    status, report, lines = run_report(tmp_path, fixture("O2"), "segv")
    threads = threads_by_label(report, lines)
    assert status == 128 + signal.SIGSEGV
    expected = {
        "read": r"read\(FD<pipe:\[\d+\]>, 0x[0-9a-f]+, 64\)",
        "mutex": r"futex\(0x[0-9a-f]+, FUTEX_WAIT_PRIVATE, 2, NULL\)",
        "cond": r"futex\(0x[0-9a-f]+, FUTEX_WAIT_BITSET_PRIVATE\|"
                r"FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY\)",
        "sleep": r"clock_nanosleep\(CLOCK_REALTIME, 0, \{tv_sec=3600, "
                 r"tv_nsec=0\}, 0x[0-9a-f]+\)",
        "epoll": r"epoll_wait\(FD<anon_inode:\[eventpoll\]>, 0x[0-9a-f]+, 8, "
                 r"-1\)",
        "poll": r"poll\(\[\{fd=\d+<pipe:\[\d+\]>, events=POLLIN\}\], 1, -1\)",
        "accept": r"accept\(FD<TCP:\[127\.0\.0\.1:\d+\]>, 0x[0-9a-f]+, "
                  r"\[16\]\)",
        # escaped as strace escapes: the text stays one line
        "open": re.escape('openat(AT_FDCWD<%s>, ' % tmp_path +
                          r'"crash_syscalls.fifo\n\377", O_RDONLY)'),
    }
    for label, pattern in expected.items():
        text = threads[label]["syscall"]["text"]
        args = threads[label]["syscall"]["args"]
        # FD: the descriptor /proc/TID/syscall gave as first argument
        if label != "open":
            pattern = pattern.replace("FD", str(int(args[0], 16)))
        assert re.fullmatch(pattern, text), (label, text)
        # the raw arguments behind the text
        for shown in re.findall(r"0x[0-9a-f]+", text):
            assert shown in args, (label, shown, args)


@pytest.mark.parametrize("build", ["O2", i386("O2-m32")])
def test_abort_shows_tgkill_returned(tmp_path, build):
    """abort() raises SIGABRT with tgkill: the signal comes at its return,
    and the crashed thread's call is shown with its result."""
    status, report, lines = run_report(tmp_path, fixture(build), "abort")
    assert status == 128 + signal.SIGABRT
    sc = report["threads"][0]["syscall"]
    pid = report["pid"]
    assert sc["state"] == "returned" and sc["name"] == "tgkill", sc
    assert sc["text"] == "tgkill(%d, %d, SIGABRT)" % (pid, pid), sc
    assert sc["return"] == "0" and sc["return_register"] == 0
    assert threads_by_label(report, lines)["read"]["syscall"]["state"] == \
        "blocked"


def test_text_report(tmp_path):
    """Each thread's call on a line after its stack; nothing for the
    spinning thread and the faulting one."""
    out = tmp_path / "report.txt"
    done = subprocess.run([PTRC, "run", "--crash", "-o", str(out), "--",
                           fixture("O2"), "abort"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    lines = fixture_lines(done.stdout)
    text = out.read_text()
    blocks = {}
    for block in text.split("\nThread ")[1:]:
        tid = int(block.split(" ", 1)[0])
        blocks[tid] = [l for l in block.splitlines() if l.startswith("Syscall: ")]
    pid = int(re.search(r"PID: (\d+)", text).group(1))
    assert blocks[pid] == ["Syscall: tgkill(%d, %d, SIGABRT) = 0" % (pid, pid)]
    for label, (tid, proc) in lines.items():
        if proc is None:
            assert blocks[tid] == [], blocks[tid]
        else:
            [line] = blocks[tid]
            assert line.endswith(") <unfinished ...>"), line


def attached_report(tmp_path, build, crash):
    """The fixture started in its "wait" mode, `ptrc attach --crash`, then
    CRASH(process): (fixture lines, the JSON report)."""
    p = subprocess.Popen([fixture(build), "segv", "wait"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         text=True, cwd=tmp_path)
    before = []
    for line in p.stdout:
        if line == "ready\n":
            break
        before.append(line)
    out = tmp_path / "report.json"
    tracer = subprocess.Popen([PTRC, "attach", "--crash", "--json", "-o",
                               str(out), str(p.pid)])
    assert wait_for(lambda: all(tracer_of(int(t)) == tracer.pid
                                for t in os.listdir("/proc/%d/task" % p.pid)))
    crash(p)
    assert os.WTERMSIG(os.waitpid(p.pid, 0)[1]) == signal.SIGSEGV
    assert tracer.wait(timeout=60) == 0
    [report] = [d for d in map(json.loads, out.read_text().splitlines())
                if d.get("type") == "crash"]
    return fixture_lines("".join(before)), report


def go(p):
    p.stdin.write("x")
    p.stdin.flush()


@pytest.mark.parametrize("build", ["O2", i386("O2-m32")])
def test_attached_restarted_calls(tmp_path, build):
    """`ptrc attach` (the debugger_command recipe) interrupts every thread
    once to seize it: a clock_nanosleep or poll goes on as restart_syscall,
    which strace too prints without the first call's name. The other calls
    are as before."""
    lines, report = attached_report(tmp_path, build, go)
    threads = threads_by_label(report, lines)
    assert report["threads"][0]["syscall"] is None  # the NULL write
    for label, (tid, proc) in lines.items():
        sc = threads[label]["syscall"]
        if proc is None:
            assert sc is None
            continue
        assert sc["state"] == "blocked", (label, sc)
        if sc["name"] == "restart_syscall":
            assert label in ("sleep", "poll"), sc
            assert sc["text"] == ("restart_syscall(<... resuming "
                                  "interrupted system call ...>)")
            continue
        assert sc["number"] == int(proc[0]), (label, sc, proc)
        assert sc["args"] == ["0x%x" % int(a, 16) for a in proc[1:7]], label


@pytest.mark.parametrize("build", ["O2", i386("O2-m32")])
def test_killed_while_blocked(tmp_path, build):
    """SIGSEGV sent to main (tgkill) while it waits in read(0): the crashed
    thread shows the read the signal interrupted."""
    libc = ctypes.CDLL(None, use_errno=True)

    def tgkill(p):
        assert libc.tgkill(p.pid, p.pid, signal.SIGSEGV) == 0

    lines, report = attached_report(tmp_path, build, tgkill)
    crashed = report["threads"][0]
    assert crashed["tid"] == report["pid"]
    sc = crashed["syscall"]
    assert sc["state"] == "blocked" and sc["name"] == "read", sc
    assert re.fullmatch(r"read\(0(<[^>]*>)?, 0x[0-9a-f]+, 1\)", sc["text"]), sc
    assert sc["args"][0] == "0x0" and sc["args"][2] == "0x1"


@pytest.mark.parametrize("build", ["O2", i386("O2-m32")])
def test_seccomp_trap_is_not_a_return(tmp_path, build):
    """SECCOMP_RET_TRAP: the call is not made and the kernel puts its number
    back in the return register; the report says the call was not made
    instead of printing that number as its result."""
    status, report, _ = run_report(tmp_path, fixture(build), "seccomp")
    assert status == 128 + signal.SIGSYS
    assert report["signal"]["name"] == "SIGSYS"
    sc = report["threads"][0]["syscall"]
    assert sc["state"] == "refused" and sc["name"] == "getppid", sc
    assert sc["text"] == "getppid()" and sc["return"] is None
    assert sc["return_register"] == sc["number"]  # the rollback, no result


def test_sigpipe_shows_the_failed_write(tmp_path):
    """SIGPIPE comes at the return of the write that failed with EPIPE: the
    crashed thread's call and its result, as strace prints that line."""
    status, report, _ = run_report(tmp_path, fixture("O2"), "sigpipe")
    assert status == 128 + signal.SIGPIPE
    sc = report["threads"][0]["syscall"]
    assert sc["state"] == "returned" and sc["name"] == "write", sc
    assert sc["return"] == "-1 EPIPE (Broken pipe)"
    assert sc["return_register"] == -32
    log = tmp_path / "strace.txt"
    subprocess.run([STRACE, "-f", "-yy", "-qq", "-o", str(log),
                    fixture("O2"), "sigpipe"], cwd=tmp_path,
                   capture_output=True, timeout=60)
    [line] = [l for l in log.read_text().splitlines() if "EPIPE" in l]
    assert normalized(line.split(" ", 1)[1].strip()) == normalized(
        "%s = %s" % (sc["text"], sc["return"])), line
