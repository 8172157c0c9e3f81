"""The pid at the head of each trace line, against strace 6.1 byte for byte.

strace's rules (printleader() in its src/strace.c): with -o FILE (not -ff)
and -f or several -p, every line starts with "%-5u " ("%u<comm> " with -Y);
to stderr, while more than one tracee lives, "[pid %5u] " ("[pid
%5u<comm>] "); with -ff none. Both tracers run the same fixture
(fixtures/fx_pid_prefix.c) in pid namespaces of their own (`unshare -pf
--mount-proc`), so pids are small (the padding shows) and of the same
width in both runs; only the numbers are renamed (P0, P1 in order of first
appearance) before the prefixes are compared. The fixture's lines come in
one order only under -e trace=getpid,getppid; with more calls shown the
interleaving of the two tasks is racy, so lines are compared per task,
an <unfinished ...> joined with its <... resumed>.
"""
import os
import re
import subprocess

import pytest

from conftest import PTRC, fixture, tasks_of, tracer_of, wait_for

STRACE = "/usr/bin/strace"
SHOWN = "trace=getpid,getppid"          # one order only (the fixture's comment)
SHOWN_MORE = "trace=getpid,getppid,read,write"   # with blocked calls

# Where a line's event starts: a syscall, a resumed call, a signal, an exit.
EVENT = re.compile(r"[a-z_][a-z0-9_]*\(|<\.\.\. |--- |\+\+\+ ")
UNFINISHED = re.compile(r"^(?P<name>\w+)\(.* <unfinished \.\.\.>$")
RESUMED = re.compile(r"^<\.\.\. (?P<name>\w+) resumed>")

pytestmark = pytest.mark.skipif(not os.access(STRACE, os.X_OK),
                                reason="strace is not installed")


def pid_namespaces_work():
    try:
        return subprocess.run(["unshare", "-pf", "--mount-proc", "true"],
                              capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


needs_pidns = pytest.mark.skipif(not pid_namespaces_work(),
                                 reason="no pid namespaces (unshare -p)")


def run_in_pidns(tool, options, command, cwd):
    """TOOL (strace or ptrc run) with OPTIONS on COMMAND in a new pid
    namespace; returns its stderr."""
    argv = [STRACE] if tool == "strace" else [PTRC, "run"]
    done = subprocess.run(["unshare", "-pf", "--mount-proc", *argv, *options,
                           "--", *command], cwd=cwd, capture_output=True,
                          text=True, errors="replace", timeout=60)
    assert done.returncode == 0, (tool, done.stderr)
    return done.stderr


def split(line):
    """(prefix, event text) of a trace line."""
    m = EVENT.search(line)
    assert m, "no event in %r" % line
    return line[:m.start()], line[m.start():]


def renamer():
    """Renames pids to P0, P1... in order of first appearance."""
    names = {}

    def rename(prefix):
        def one(m):
            return m.group(1) + names.setdefault(m.group(2), "P%d" % len(names))
        return re.sub(r"^(\[pid +|)(\d+)", one, prefix)
    return rename


def key(text):
    """What a line's event is: the call's name, the signal, the exit."""
    m = RESUMED.match(text) or re.match(r"^(?P<name>\w+)\(", text)
    if m:
        return m.group("name")
    return " ".join(text.split()[:2])


def tasks(lines):
    """Each task's events, as {renamed pid: [(renamed prefix, key)]}, an
    <unfinished ...> line joined with its <... resumed> (which must carry
    the same prefix). Every line must name its task (-o's forms)."""
    rename = renamer()
    pending = {}
    out = {}
    for line in lines:
        prefix, text = split(line)
        who = rename(prefix)
        m = re.match(r"^P\d+", who)
        assert m, "a line without its pid: %r" % line
        task = m.group(0)
        r = RESUMED.match(text)
        if r:
            assert pending.pop(task) == (who, r.group("name")), line
            continue
        u = UNFINISHED.match(text)
        if u:
            pending[task] = (who, u.group("name"))
        out.setdefault(task, []).append((who, key(text)))
    assert not pending, pending
    return out


def bare_lines(lines):
    """The lines with their pids renamed, in the prefix only."""
    rename = renamer()
    return [rename(p) + t for p, t in map(split, lines)]


@needs_pidns
@pytest.mark.parametrize("kind", ["fork", "thread"])
def test_output_file_with_f_has_the_pid_column(tmp_path, kind):
    """-o FILE -f: "%-5u " on every line, from the first, threads alike."""
    command = [fixture("fx_pid_prefix"), kind]
    traces = {}
    for tool in ("strace", "ptrc"):
        out = tmp_path / tool
        run_in_pidns(tool, ["-f", "-e", SHOWN_MORE, "-o", str(out)],
                     command, tmp_path)
        traces[tool] = out.read_text(errors="replace").splitlines()
    for tool, lines in traces.items():
        for line in lines:
            prefix, _ = split(line)
            pid = int(prefix.split()[0])
            assert pid < 10, "the namespace's pids are small: %r" % line
            assert prefix == "%-5d " % pid, (tool, line)
    assert tasks(traces["ptrc"]) == tasks(traces["strace"])
    assert len(tasks(traces["ptrc"])) == 2


@needs_pidns
def test_output_file_with_f_in_one_order_is_the_same_bytes(tmp_path):
    """-o FILE -f, lines in one order only: the same lines, the pids
    renamed (P0 the first task), prefixes and padding to column 40 alike."""
    command = [fixture("fx_pid_prefix"), "fork"]
    got = {}
    for tool in ("strace", "ptrc"):
        out = tmp_path / tool
        run_in_pidns(tool, ["-f", "-e", SHOWN, "-o", str(out)], command,
                     tmp_path)
        got[tool] = [re.sub(r"(= |si_pid=)\d+", r"\1N", line) for line in
                     bare_lines(out.read_text().splitlines())]
    assert got["ptrc"] == got["strace"]
    # "%-5u ": pid 2 (renamed P0) and five spaces
    assert got["ptrc"][:3] == ["P0     getpid()                          = N",
                               "P1     getppid()                         = N",
                               "P0     getpid()                          = N"]


@needs_pidns
@pytest.mark.parametrize("kind", ["fork", "thread"])
def test_stderr_has_the_bracket_while_several_live(tmp_path, kind):
    """To stderr: "[pid %5u] " while more than one tracee lives, the
    exiting one counted; nothing before the second and after it."""
    command = [fixture("fx_pid_prefix"), kind]
    got = {}
    for tool in ("strace", "ptrc"):
        err = run_in_pidns(tool, ["-f", "-q", "-e", SHOWN], command, tmp_path)
        got[tool] = [re.sub(r"(= |si_pid=)\d+", r"\1N", line)
                     for line in bare_lines(err.splitlines())]
    expected_start = ["getpid()                                = N",
                      "[pid     P0] getppid()                   = N",
                      "[pid     P1] getpid()                    = N"]
    if kind == "thread":
        # pthread_join returns when the thread's tid is cleared, before
        # its exit is reported: the main thread's last getpid() may come
        # before the thread's "+++ exited", in both tracers.
        assert got["ptrc"][:3] == got["strace"][:3] == expected_start
        return
    assert got["ptrc"] == got["strace"]
    assert got["ptrc"] == expected_start + [
        "[pid     P0] +++ exited with 0 +++",
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=N, "
        "si_uid=0, si_status=0, si_utime=0, si_stime=0} ---",
        "getpid()                                = N",
        "+++ exited with 0 +++"]


@needs_pidns
def test_output_separately_has_no_prefix(tmp_path):
    """-ff -o FILE: a file per task, FILE.PID, no prefix in it."""
    command = [fixture("fx_pid_prefix"), "fork"]
    files = {}
    for tool in ("strace", "ptrc"):
        base = tmp_path / tool
        run_in_pidns(tool, ["-ff", "-e", SHOWN_MORE, "-o", str(base)],
                     command, tmp_path)
        names = sorted(tmp_path.glob(tool + ".*"),
                       key=lambda p: int(p.suffix[1:]))
        files[tool] = [[key(split(line)[1]) for line in p.read_text().splitlines()
                        if not split(line)[0] or pytest.fail(line)]
                       for p in names]
    assert files["ptrc"] == files["strace"]
    assert len(files["ptrc"]) == 2


@needs_pidns
def test_decode_pids_comm_in_each_form(tmp_path):
    """-Y: "%u<comm> " (no padding) in -o's form, "[pid %5u<comm>] " to
    stderr; '<' and '>' of the name in octal, as strace escapes them."""
    link = tmp_path / "fx<p>q"
    link.symlink_to(fixture("fx_pid_prefix"))
    command = ["./fx<p>q", "fork"]
    forms = {}
    for tool in ("strace", "ptrc"):
        out = tmp_path / tool
        run_in_pidns(tool, ["-Y", "-f", "-e", SHOWN, "-o", str(out)], command,
                     tmp_path)
        column = [split(line)[0] for line in bare_lines(out.read_text().splitlines())]
        err = run_in_pidns(tool, ["-Y", "-f", "-q", "-e", SHOWN], command,
                           tmp_path)
        bracket = [split(line)[0] for line in bare_lines(err.splitlines())]
        forms[tool] = (column, bracket)
    assert forms["ptrc"] == forms["strace"]
    column, bracket = forms["ptrc"]
    assert column[0] == "P0<fx\\74p\\76q> "
    assert bracket[:3] == ["", "[pid     P0<fx\\74p\\76q>] ",
                           "[pid     P1<fx\\74p\\76q>] "]


def start_waiting(background):
    fx = background([fixture("fx_wait_go"), "0"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, text=True)
    assert fx.proc.stdout.readline() == "%d ready\n" % fx.pid
    return fx


def test_several_p_with_output_file(tmp_path, background):
    """-p A -p B -o FILE (no -f): the pid column on every line, as strace
    (its tracees counted at start). strace and ptrc attach to processes of
    their own; lines are compared per process."""
    traces = {}
    for tool in ("strace", "ptrc"):
        a, b = start_waiting(background), start_waiting(background)
        out = tmp_path / tool
        argv = ([STRACE, "-o", str(out), "-p", str(a.pid), "-p", str(b.pid)]
                if tool == "strace" else
                [PTRC, "attach", "-o", str(out), str(a.pid), str(b.pid)])
        tracer = background(argv, stderr=subprocess.PIPE, text=True)
        assert wait_for(lambda: all(tracer_of(t) == tracer.pid
                                    for p in (a, b) for t in tasks_of(p.pid)))
        # each is seen in its read(0, ...) before it is let go
        assert wait_for(lambda: len(re.findall(r"read\(0, ", out.read_text()))
                        == 2), out.read_text()
        for p in (a, b):
            p.proc.stdin.write("g")
            p.proc.stdin.close()
            assert p.proc.wait(timeout=10) == 0
        assert tracer.proc.wait(timeout=20) == 0
        lines = out.read_text().splitlines()
        for line in lines:
            prefix, _ = split(line)
            assert prefix in ("%-5d " % a.pid, "%-5d " % b.pid), (tool, line)
        # the events of each process (a resumed line belongs to the
        # line it resumes: whether a call was cut is timing)
        names = {a.pid: "A", b.pid: "B"}
        traces[tool] = {}
        for prefix, text in map(split, lines):
            if not RESUMED.match(text):
                traces[tool].setdefault(names[int(prefix)], []).append(key(text))
    assert traces["ptrc"] == traces["strace"]


@needs_pidns
@pytest.mark.parametrize("follow", [True, False], ids=["f", "no-f"])
def test_syslog_takes_the_output_file_form(tmp_path, follow):
    """--syslog (strace has none): each message's text is the line -o
    would have written, the pid column included (with -f from the first
    line; without -f a forked child is not traced: no column)."""
    from test_syslog import Receiver, join_parts, parse
    command = [fixture("fx_pid_prefix"), "fork"]
    options = ["-f"] if follow else []
    out = tmp_path / "file"
    run_in_pidns("ptrc", [*options, "-e", SHOWN, "-o", str(out)], command,
                 tmp_path)
    rcv = Receiver(tmp_path / "log")
    try:
        run_in_pidns("ptrc", [*options, "-e", SHOWN, "--syslog",
                              "--syslog-socket=" + rcv.path], command, tmp_path)
    finally:
        rcv.close()
    texts = [t.decode() for t in join_parts([m.group("text")
                                             for m in parse(rcv.messages)])]
    assert texts == out.read_text().splitlines()
    if follow:
        assert texts[0] == "%-5d getpid()                          = 2" % 2
    else:
        assert texts[0] == "getpid()                                = 2"


@needs_pidns
def test_output_file_without_f_gets_the_column_at_the_second_thread(tmp_path):
    """ptrc's own case (strace without -f traces one thread): -o without
    -f, a thread started: no prefix while the first thread is alone, the
    pid column from the second thread's first line on, to the end."""
    out = tmp_path / "t"
    run_in_pidns("ptrc", ["-e", SHOWN, "-o", str(out)],
                 [fixture("fx_pid_prefix"), "thread"], tmp_path)
    lines = out.read_text().splitlines()
    assert lines[0] == "getpid()                                = 2"
    assert lines[1] == "3     getppid()                         = 1"
    assert all(re.match(r"^[23]     \S", l) for l in lines[1:]), lines
    assert lines[-1] == "2     +++ exited with 0 +++"


def test_background_attach_with_f(tmp_path):
    """The debugger_command recipe with -f: `ptrc attach --background -f
    -o FILE $$` from a shell that then runs a command: every line has its
    pid column, the shell's and its child's."""
    out = tmp_path / "trace.txt"
    done = subprocess.run(["sh", "-c", '"$0" attach --background -f -o "$1" $$ '
                           '&& /bin/true', PTRC, str(out)],
                          capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    shell = int(re.search(r"^(\d+) ", out.read_text()).group(1))
    assert wait_for(lambda: out.read_text().endswith(
        "%-5d +++ exited with 0 +++\n" % shell), timeout=10)
    lines = out.read_text().splitlines()
    pids = {int(l.split()[0]) for l in lines}
    assert len(pids) == 2 and shell in pids, pids
    assert all(l.startswith("%-5d " % int(l.split()[0])) for l in lines)
    assert [l for l in lines if re.match(r"^\d+ +execve\(\"/bin/true\"", l)]
