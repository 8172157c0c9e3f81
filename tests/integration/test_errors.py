"""Every failure is one line on stderr and its own exit status."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import (PTRC, fixture, ptrc, start_attach, tasks_of, tracer_of,
                      wait_for)

USAGE, NO_PROCESS, PERMISSION, ALREADY_TRACED, OUTPUT, EXEC = 64, 65, 66, 67, 73, 127


def one_line(done):
    assert done.stderr.endswith("\n") and done.stderr.count("\n") == 1, \
        "not one line: %r" % done.stderr
    assert done.stderr.startswith("ptrc: ")
    return done.stderr


def start_wait_go(background):
    fx = background([fixture("fx_wait_go")], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, text=True)
    assert fx.proc.stdout.readline() == "%d ready\n" % fx.pid
    return fx


@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["run"],
    ["run", "--"],
    ["run", "-Q", "--", "/bin/true"],
    ["run", "-s", "abc", "--", "/bin/true"],
    ["run", "-s", "-1", "--", "/bin/true"],
    ["run", "-s"],
    ["run", "-o"],
    ["run", "-e", "trace=no_such_syscall", "--", "/bin/true"],
    ["run", "-e", "trace=write,bogus", "--", "/bin/true"],
    ["run", "-t", "--absolute-timestamps", "--", "/bin/true"],
    ["run", "-ff", "--output-separately", "-o", "x", "--", "/bin/true"],
    ["run", "-ff", "-o", "|cat", "--", "/bin/true"],
    ["run", "-p", "1", "--", "/bin/true"],
    ["run", "--absolute-timestamps=unix,xs", "--", "/bin/true"],
    ["run", "-T", "--syscall-times=xs", "--", "/bin/true"],
    ["run", "--relative-timestamps=", "--", "/bin/true"],
    ["run", "-a", "-1", "--", "/bin/true"],
    ["-f", "run", "/bin/true"],
    ["stack", "-s", "5", "1"],
    ["attach"],
    ["attach", "abc"],
    ["attach", "0"],
    ["attach", "-5"],
    ["attach", "12x"],
    ["attach", "99999999999"],
], ids=lambda a: " ".join(a) or "no-args")
def test_bad_usage(args, tmp_path):
    done = ptrc(*args, cwd=tmp_path)
    assert done.returncode == USAGE, (done.returncode, done.stderr)
    one_line(done)
    assert done.stdout == ""
    assert os.listdir(tmp_path) == []


def test_bad_usage_names_the_problem():
    assert "no_such_syscall" in ptrc("run", "-e", "trace=no_such_syscall", "--", "/bin/true").stderr
    assert "-Q" in ptrc("run", "-Q", "--", "/bin/true").stderr
    assert "abc" in ptrc("attach", "abc").stderr
    # an option whose argument is missing is not called unknown
    assert "option '-s' needs an argument" in ptrc("run", "-s").stderr
    assert "option '-o' needs an argument" in ptrc("run", "-f", "-o").stderr
    assert "unknown option '-Q'" in ptrc("run", "-fQ", "--", "/bin/true").stderr


def gone_pid():
    p = subprocess.Popen(["/bin/true"])
    p.wait()
    assert not os.path.exists("/proc/%d" % p.pid)
    return p.pid


def test_attach_no_such_process():
    pid = gone_pid()
    done = ptrc("attach", str(pid))
    assert done.returncode == NO_PROCESS
    line = one_line(done)
    assert str(pid) in line and "no such process" in line.lower()


@pytest.mark.parametrize("second", ["pid", "tid"])
def test_attach_same_process_twice(tmp_path, background, second):
    fx = background([fixture("fx_wait_go"), "2"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, text=True)
    assert fx.proc.stdout.readline() == "%d ready\n" % fx.pid
    assert wait_for(lambda: len(tasks_of(fx.pid)) == 3)
    other = fx.pid if second == "pid" else tasks_of(fx.pid)[-1]
    out = tmp_path / "t.txt"
    tracer = background([PTRC, "attach", "-o", str(out), str(fx.pid), str(other)],
                        stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: tracer.proc.poll() is not None or
                    (out.exists() and re.search(r"read\(0, ", out.read_text())))
    assert tracer.proc.poll() is None, tracer.proc.stderr.read()
    fx.proc.stdin.write("g")
    fx.proc.stdin.close()
    assert tracer.proc.wait(timeout=10) == 0
    assert out.read_text().endswith("+++ exited with 0 +++\n")


def test_attach_zombie():
    child = subprocess.Popen(["/bin/true"])
    assert wait_for(lambda: os.path.exists("/proc/%d" % child.pid) and
                    open("/proc/%d/stat" % child.pid, errors="replace").read().split(") ")[1][0] == "Z")
    try:
        done = ptrc("attach", str(child.pid))
    finally:
        child.wait()
    line = one_line(done)
    assert done.returncode in (NO_PROCESS, 68), line
    assert "permission" not in line


def test_attach_already_traced_by_ptrc(tmp_path, background):
    fx = start_wait_go(background)
    first, _ = start_attach(background, tmp_path, fx.pid)
    done = ptrc("attach", str(fx.pid))
    assert done.returncode == ALREADY_TRACED, done.stderr
    line = one_line(done)
    assert "already traced" in line
    assert re.search(r"\bpid %d\b" % first.pid, line), line
    assert "ptrc" in line
    # The first tracer is undisturbed.
    assert first.proc.poll() is None
    assert all(tracer_of(t) == first.pid for t in tasks_of(fx.pid))


@pytest.mark.skipif(not shutil.which("strace"), reason="strace not installed")
def test_attach_already_traced_by_strace(background):
    fx = start_wait_go(background)
    st = background(["strace", "-o", "/dev/null", "-p", str(fx.pid)],
                    stderr=subprocess.DEVNULL)
    assert wait_for(lambda: tracer_of(fx.pid) == st.pid)
    done = ptrc("attach", str(fx.pid))
    assert done.returncode == ALREADY_TRACED
    line = one_line(done)
    assert re.search(r"\bpid %d\b" % st.pid, line) and "strace" in line, line


def test_attach_permission_denied(background):
    if os.geteuid() != 0:
        pytest.skip("needs root to run ptrc as another user")
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("setpriv not installed")
    fx = start_wait_go(background)
    done = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                           PTRC, "attach", str(fx.pid)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == PERMISSION, done.stderr
    line = one_line(done)
    assert "permission denied" in line.lower() and str(fx.pid) in line
    # It says where to look: another tracer or ptrace restrictions.
    assert "tracer" in line and "ptrace" in line
    assert tracer_of(fx.pid) == 0


def test_output_in_missing_directory(tmp_path):
    marker = tmp_path / "ran"
    done = ptrc("run", "-o", str(tmp_path / "missing" / "trace.txt"), "--",
                "/usr/bin/touch", str(marker))
    assert done.returncode == OUTPUT
    line = one_line(done)
    assert "missing/trace.txt" in line
    assert not marker.exists(), "the command ran although the output failed"


def test_output_symlink_refused(tmp_path):
    target = tmp_path / "target"
    target.write_text("keep me\n")
    link = tmp_path / "link"
    link.symlink_to(target)
    done = ptrc("run", "-o", str(link), "--", "/bin/true")
    assert done.returncode == OUTPUT
    assert "symbolic link" in one_line(done)
    assert target.read_text() == "keep me\n"


def test_output_directory_refused(tmp_path):
    done = ptrc("run", "-o", str(tmp_path), "--", "/bin/true")
    assert done.returncode == OUTPUT
    one_line(done)


def test_attach_output_error_leaves_process_alone(tmp_path, background):
    fx = start_wait_go(background)
    done = ptrc("attach", "-o", str(tmp_path / "no" / "t.txt"), str(fx.pid))
    assert done.returncode == OUTPUT
    one_line(done)
    assert tracer_of(fx.pid) == 0 and fx.proc.poll() is None


@pytest.mark.parametrize("command, message", [
    (["/nonexistent/ptrc-command"], "No such file or directory"),
    (["ptrc-no-such-command-anywhere"], "command not found"),
    (["/etc/hostname"], None),   # not a program
    (["/tmp"], None),            # a directory
])
def test_run_missing_command(command, message, tmp_path):
    # -o: a command that passes ptrc's checks and fails in execve shows
    # that failed execve in the trace, as strace does.
    done = ptrc("run", "-o", str(tmp_path / "t.txt"), "--", *command)
    assert done.returncode == EXEC, done.stderr
    line = one_line(done)
    assert command[0] in line
    if message:
        assert message in line


def test_run_not_executable(tmp_path):
    script = tmp_path / "script"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(0o644)
    done = ptrc("run", "--", str(script))
    assert done.returncode == EXEC
    assert str(script) in one_line(done)
