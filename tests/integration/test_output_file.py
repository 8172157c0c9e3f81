"""-o FILE as a root process writing into a directory others may write to
(Postfix's $config_directory recipe): each refusal, the mode, and the %p /
%n placeholders."""
import os
import stat
import subprocess
import sys
import threading

import pytest

from conftest import PTRC, fixture, ptrc, read_lines, wait_for


def run_to(path, *extra):
    return ptrc("run", "-o", str(path), *extra, "--", fixture("fx_basic"))


def test_new_file_is_created_0600_whatever_the_umask(tmp_path):
    out = tmp_path / "trace.txt"
    old = os.umask(0)
    try:
        done = run_to(out)
    finally:
        os.umask(old)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert read_lines(out)[-1] == "+++ exited with 0 +++"


def test_symlink_as_last_component_is_refused(tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    link = tmp_path / "trace.txt"
    link.symlink_to(victim)
    done = run_to(link)
    assert done.returncode == 73
    assert done.stderr == "ptrc: %s is a symbolic link; refusing to follow it\n" % link
    assert victim.read_text() == "precious\n"
    # A dangling link is refused as well, and creates nothing.
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "would-be-created")
    assert run_to(dangling).returncode == 73
    assert not (tmp_path / "would-be-created").exists()


def test_symlink_in_a_directory_component_is_followed(tmp_path):
    """Only the last component is guarded, as O_NOFOLLOW does (Debian's
    /etc/postfix may itself be reached through a link)."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "alias").symlink_to(real)
    done = run_to(tmp_path / "alias" / "trace.txt")
    assert done.returncode == 0, done.stderr
    assert (real / "trace.txt").exists()


def test_existing_regular_file_is_truncated(tmp_path):
    out = tmp_path / "trace.txt"
    out.write_text("old content\n" * 10000)
    out.chmod(0o644)
    done = run_to(out)
    assert done.returncode == 0
    assert "old content" not in out.read_text()
    # An existing file keeps its mode: ptrc does not chmod what it did not create.
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_directory_is_refused(tmp_path):
    done = run_to(tmp_path)
    assert done.returncode == 73
    assert done.stderr.startswith("ptrc: cannot open %s: Is a directory" % tmp_path)


def test_socket_is_refused(tmp_path):
    import socket
    path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind(str(path))
    try:
        done = run_to(path)
    finally:
        s.close()
    assert done.returncode == 73
    assert done.stderr.startswith("ptrc: cannot open %s: " % path)
    assert stat.S_ISSOCK(path.stat().st_mode)


def test_fifo_is_written_not_truncated(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    done = run_to(fifo)
    reader.join(20)
    assert done.returncode == 0, done.stderr
    assert got and got[0].rstrip("\n").endswith("+++ exited with 0 +++")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_fifo_without_reader_is_refused_not_waited_for(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = run_to(fifo)  # ptrc()'s timeout bounds a hang
    assert done.returncode == 73
    assert "No such device or address" in done.stderr


def test_character_device_is_written_not_truncated():
    done = run_to("/dev/null")
    assert done.returncode == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def named_sleeper(name):
    """A process whose comm is NAME (it may hold '/', spaces, dots)."""
    code = ("import ctypes, sys, time\n"
            "ctypes.CDLL(None).prctl(15, sys.argv[1].encode(), 0, 0, 0)\n"
            "print('ready', flush=True)\n"
            "time.sleep(60)\n")
    p = subprocess.Popen([sys.executable, "-c", code, name], stdout=subprocess.PIPE,
                         text=True)
    assert p.stdout.readline() == "ready\n"
    return p


@pytest.mark.parametrize("comm,expected", [
    ("smtpd", "smtpd"),
    ("../x y", "_._x_y"),  # no "/" survives, no leading "."
    (".hidden", "_hidden"),
    ("a/b\tc", "a_b_c"),
])
def test_attach_placeholders(tmp_path, comm, expected):
    p = named_sleeper(comm)
    try:
        done = ptrc("attach", "--background", "-o",
                    str(tmp_path / "%n.%p.log"), str(p.pid))
        assert done.returncode == 0, done.stderr
        out = tmp_path / ("%s.%d.log" % (expected, p.pid))
        assert out.exists(), os.listdir(tmp_path)
        assert os.listdir(tmp_path) == [out.name]
    finally:
        p.kill()
        p.wait()
    assert wait_for(lambda: read_lines(out) and read_lines(out)[-1] ==
                    "+++ killed by SIGKILL +++", timeout=10), read_lines(out)


def test_run_placeholders_are_ptrc_pid_and_command_name(tmp_path):
    proc = subprocess.Popen([PTRC, "run", "-o", str(tmp_path / "%n-%p-100%%.txt"), "--",
                             fixture("fx_basic")], stderr=subprocess.PIPE)
    assert proc.wait(timeout=60) == 0
    expected = tmp_path / ("fx_basic-%d-100%%.txt" % proc.pid)
    assert os.listdir(tmp_path) == [expected.name]
    assert read_lines(expected)[-1] == "+++ exited with 0 +++"


def test_placeholder_errors(tmp_path):
    done = ptrc("attach", "-o", str(tmp_path / "%p.log"), "1", "2")
    assert done.returncode == 64 and "-o %p needs exactly one PID" in done.stderr
    done = ptrc("run", "-o", str(tmp_path / "%q.log"), "--", "true")
    assert done.returncode == 64 and "unknown placeholder '%q'" in done.stderr
    done = ptrc("run", "-o", str(tmp_path / "trailing%"), "--", "true")
    assert done.returncode == 64
    assert os.listdir(tmp_path) == []
    # A process that is gone has no name.
    gone = subprocess.Popen(["true"])
    gone.wait()
    done = ptrc("attach", "-o", str(tmp_path / "%n.log"), str(gone.pid))
    assert done.returncode == 65 and "no such process" in done.stderr
