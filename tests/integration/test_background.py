"""ptrc attach --background: the foreground returns only once a background
ptrc has seized every thread; the background is on its own (session,
descriptors, stdio) and ends with its tracees."""
import os
import re
import select
import signal
import socket
import subprocess

import pytest

from conftest import (PTRC, alive, attribute, calls, fixture, ptrc, read_lines, start_attach,
                      tasks_of, tracer_of, unprefixed, wait_for)


def start_wait_go(background, threads=0):
    fx = background([fixture("fx_wait_go"), str(threads)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert fx.proc.stdout.readline() == "%d ready\n" % fx.pid
    assert wait_for(lambda: len(tasks_of(fx.pid)) == threads + 1)
    return fx


def go(fx):
    fx.proc.stdin.write("g")
    fx.proc.stdin.close()


def fds_of(pid):
    d = "/proc/%d/fd" % pid
    return {int(fd): os.readlink(os.path.join(d, fd)) for fd in os.listdir(d)}


def background_of(pid):
    tracer = tracer_of(pid)
    assert tracer, "process %d is not traced" % pid
    return tracer


def test_foreground_returns_with_every_thread_attached(tmp_path, background):
    fx = start_wait_go(background, threads=3)
    out = tmp_path / "trace.txt"
    fg = subprocess.Popen([PTRC, "attach", "--background", "-o", str(out),
                           str(fx.pid)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True)
    stdout, stderr = fg.communicate(timeout=20)
    assert (fg.returncode, stdout, stderr) == (0, "", "")
    # Right when the foreground has exited, every thread is traced, by
    # the one background ptrc.
    tids = tasks_of(fx.pid)
    assert len(tids) == 4
    bg = tracer_of(fx.pid)
    assert bg not in (0, fg.pid) and alive(bg)
    assert all(tracer_of(t) == bg for t in tids)
    # A session and process group of its own, stdio on /dev/null, only
    # the output open, working directory /.
    assert os.getsid(bg) == bg and os.getpgid(bg) == bg
    fds = fds_of(bg)
    assert [fds[i] for i in (0, 1, 2)] == ["/dev/null"] * 3, fds
    assert sorted(fds) == [0, 1, 2, min(f for f in fds if f > 2)], fds
    assert [t for f, t in fds.items() if f > 2] == [str(out)]
    assert os.readlink("/proc/%d/cwd" % bg) == "/"

    go(fx)
    assert fx.proc.wait(timeout=10) == 0
    # It ends by itself once its process has exited.
    assert wait_for(lambda: not alive(bg), timeout=10)
    lines = read_lines(out)
    text = "\n".join(lines)
    # Nothing missed: the go byte read by the blocked main thread is there.
    found = calls(attribute(lines, first_pid=fx.pid))
    assert [c for c in found if c["pid"] == fx.pid and c["name"] == "read" and
            c["args"] == '0, "g", 1' and c["ret"] == "1"], text
    assert 'openat(AT_FDCWD, "/nonexistent/ptrc-wait-go", O_RDONLY' in text
    # every line has its pid: the process has threads (-o's column form)
    assert lines[-1] == "%-5d +++ exited with 0 +++" % fx.pid, lines[-3:]


def test_background_keeps_no_inherited_descriptor(tmp_path, background):
    """Like smtpd's listening socket and master's pipes: the background
    must not hold them."""
    fx = start_wait_go(background)
    r, w = os.pipe()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    out = tmp_path / "trace.txt"
    try:
        done = subprocess.run([PTRC, "attach", "--background", "-o", str(out),
                               str(fx.pid)], pass_fds=(w, listener.fileno()),
                              capture_output=True, text=True, timeout=20)
        assert done.returncode == 0, done.stderr
        bg = background_of(fx.pid)
        os.close(w)
        w = None
        # With every write end closed, the read end sees EOF at once.
        ready, _, _ = select.select([r], [], [], 5)
        assert ready and os.read(r, 1) == b""
        fds = fds_of(bg)
        assert not [t for t in fds.values() if t.startswith(("pipe:", "socket:"))], fds
    finally:
        os.close(r)
        if w is not None:
            os.close(w)
        listener.close()
    go(fx)
    assert fx.proc.wait(timeout=10) == 0
    assert wait_for(lambda: not alive(bg), timeout=10)


def test_signal_to_the_callers_process_group_does_not_reach_it(tmp_path, background):
    """`postfix stop` signals master's process group; the background is
    not in it."""
    fx = start_wait_go(background)
    out = tmp_path / "trace.txt"
    caller = background(["sh", "-c", '"$0" attach --background -o "$1" "$2" && '
                         'exec sleep 60', PTRC, str(out), str(fx.pid)],
                        start_new_session=True)
    assert wait_for(lambda: tracer_of(fx.pid), timeout=10)
    bg = tracer_of(fx.pid)
    assert wait_for(lambda: "sleep" in open("/proc/%d/cmdline" % caller.pid).read(),
                    timeout=10)
    os.killpg(caller.pid, signal.SIGTERM)
    assert caller.proc.wait(timeout=10) == -signal.SIGTERM
    assert alive(bg) and tracer_of(fx.pid) == bg
    go(fx)
    assert fx.proc.wait(timeout=10) == 0
    assert wait_for(lambda: not alive(bg), timeout=10)
    assert unprefixed(read_lines(out)[-1]) == "+++ exited with 0 +++"


def test_the_caller_goes_on_traced_from_its_wait(tmp_path):
    """The Postfix pattern with a shell: the caller waits for ptrc (as
    system() does) and is traced from that wait's return on."""
    out = tmp_path / "trace.txt"
    done = subprocess.run(["sh", "-c", '"$0" attach --background -o "$1" $$ && '
                           'echo traced-after >/dev/null', PTRC, str(out)],
                          capture_output=True, text=True, timeout=20)
    assert done.returncode == 0, done.stderr
    assert wait_for(lambda: read_lines(out) and
                    read_lines(out)[-1].startswith("+++"), timeout=10)
    lines = read_lines(out)
    # The shell's wait for ptrc returns first. dash takes SIGCHLD with a
    # handler: when the foreground's exit is reported before the restart
    # of the interrupted wait, the SIGCHLD and that interruption come first.
    waited = [i for i, l in enumerate(lines) if re.match(
        r"^wait4\(-1, \[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], .*\) += \d+$", l)]
    assert waited and waited[0] <= 3, lines[:5]
    assert all(l.startswith("--- SIGCHLD ") or re.search(r"= \? ERESTART|= -1 EINTR", l)
               for l in lines[:waited[0]]), lines[:5]
    assert any(re.match(r'^write\(1, "traced-after\\n", 13\)\s+= 13$', l)
               for l in lines), lines
    assert lines[-1] == "+++ exited with 0 +++"


def test_sigterm_detaches_and_leaves_the_process_running(tmp_path, background):
    fx = start_wait_go(background, threads=2)
    out = tmp_path / "trace.txt"
    done = ptrc("attach", "--background", "-o", str(out), str(fx.pid), timeout=20)
    assert done.returncode == 0, done.stderr
    bg = background_of(fx.pid)
    os.kill(bg, signal.SIGTERM)
    assert wait_for(lambda: not alive(bg), timeout=10)
    assert all(tracer_of(t) == 0 for t in tasks_of(fx.pid))
    go(fx)
    assert fx.proc.wait(timeout=10) == 0
    assert fx.proc.stdout.read() == "go received\n"


def dead_pid():
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def ptrc_processes_with(text):
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/cmdline" % name, "rb") as f:
                    if text.encode() in f.read():
                        found.append(int(name))
            except OSError:
                pass
    return found


def test_attach_errors_reach_the_foreground(tmp_path, background):
    out = tmp_path / "trace.txt"
    pid = dead_pid()
    done = ptrc("attach", "--background", "-o", str(out), str(pid), timeout=20)
    assert done.returncode == 65
    assert done.stderr == "ptrc: no such process: %d\n" % pid
    assert wait_for(lambda: not [p for p in ptrc_processes_with(str(out))
                                 if alive(p)], timeout=5)

    fx = start_wait_go(background)
    tracer, _ = start_attach(background, tmp_path, fx.pid)
    done = ptrc("attach", "--background", "-o", str(out), str(fx.pid), timeout=20)
    assert done.returncode == 67
    assert re.fullmatch(r"ptrc: process %d is already traced by pid %d \(ptrc\)\n"
                        % (fx.pid, tracer.pid), done.stderr), done.stderr
    assert tracer_of(fx.pid) == tracer.pid


def test_output_errors_come_before_the_fork(tmp_path, background):
    fx = start_wait_go(background)
    target = tmp_path / "missing-dir" / "trace.txt"
    done = ptrc("attach", "--background", "-o", str(target), str(fx.pid), timeout=20)
    assert done.returncode == 73
    assert done.stderr.startswith("ptrc: cannot open %s: No such file" % target)
    assert tracer_of(fx.pid) == 0
    assert not ptrc_processes_with(str(target))


def test_background_usage_errors(tmp_path):
    done = ptrc("attach", "--background", "1")
    assert done.returncode == 64 and "--background needs -o" in done.stderr
    done = ptrc("run", "--background", "-o", str(tmp_path / "t"), "--", "true")
    assert done.returncode == 64 and "--background is for attach" in done.stderr
    assert not (tmp_path / "t").exists()



STARVE_THEN_ATTACH = """\
# PTRC OUT HOGFILE PID: a busy loop on CPU 0, where PID (SCHED_IDLE) waits
# for this script to end; then ptrc attaches to PID from CPU 1.
taskset -c 0 chrt --other 0 sh -c 'while :; do :; done' >/dev/null 2>&1 &
echo $! > "$3"
sleep 0.3
exec "$1" attach --background -o "$2" "$4"
"""


def test_a_starved_caller_misses_no_syscall(tmp_path):
    """The caller waits in wait4 on a CPU a busy loop holds, with the
    lowest priority (SCHED_IDLE): woken by ptrc's interrupt, it runs late.
    Were the foreground to return before the caller's first stop, the
    caller would find its child gone and finish that wait4 unseen."""
    if (os.cpu_count() or 1) < 2:
        pytest.skip("needs two CPUs")
    script = tmp_path / "starve.sh"
    script.write_text(STARVE_THEN_ATTACH)
    out, hogfile = tmp_path / "trace.txt", tmp_path / "hog.pid"
    for _ in range(3):
        try:
            done = subprocess.run(
                ["taskset", "-c", "0", "chrt", "--idle", "0", "sh", "-c",
                 'taskset -c 1 chrt --other 0 sh "$0" "$1" "$2" "$3" $$ && '
                 'echo traced-after >/dev/null',
                 str(script), PTRC, str(out), str(hogfile)],
                capture_output=True, text=True, timeout=60)
        finally:
            if hogfile.exists():
                os.kill(int(hogfile.read_text()), signal.SIGKILL)
        assert done.returncode == 0, done.stderr
        assert wait_for(lambda: read_lines(out) and
                        read_lines(out)[-1].startswith("+++"), timeout=30)
        lines = read_lines(out)
        assert any(re.match(r"^(wait4\(-1, |<\.\.\. wait4 resumed>)"
                            r"\[\{WIFEXITED\(s\) && WEXITSTATUS\(s\) == 0\}\], 0, "
                            r"NULL\) += \d+$", l) for l in lines), lines[:8]
        assert lines[-1] == "+++ exited with 0 +++"


def test_a_late_output_error_goes_to_syslog(tmp_path, background):
    """The background's stderr goes nowhere once the foreground returned:
    an output that fails later (-o /dev/full) ends the trace with a
    mail.err message to /dev/log, and the process runs on."""
    if os.path.exists("/dev/log"):
        pytest.skip("/dev/log exists: a syslog daemon may own it")
    log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    log.bind("/dev/log")
    try:
        log.settimeout(10)
        fx = start_wait_go(background)
        done = ptrc("attach", "--background", "-o", "/dev/full", str(fx.pid))
        assert done.returncode == 0, done.stderr
        tracer = background_of(fx.pid)
        go(fx)
        message = log.recv(4096).decode()
        assert re.match(r"^<19>\w{3} [ \d]\d \d\d:\d\d:\d\d ptrc\[%d\]: attach "
                        r"--background: writing the trace: No space left on "
                        r"device; trace ended$" % tracer, message), message
        assert fx.proc.wait(timeout=10) == 0
        assert fx.proc.stdout.read() == "go received\n"
    finally:
        log.close()
        os.unlink("/dev/log")
