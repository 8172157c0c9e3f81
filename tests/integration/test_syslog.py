"""--syslog, --syslog-socket and --postlog: each trace line becomes one
message (split with a continuation marker when too long), written as
datagrams to a unix socket; a missing socket is an error at start."""
import os
import re
import socket
import subprocess
import threading
import time

import pytest

from conftest import PTRC, fixture, ptrc, read_lines

RFC3164 = re.compile(
    rb"^<(?P<pri>\d+)>(?P<stamp>[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d) "
    rb"ptrc\[(?P<pid>\d+)\]: (?P<text>.*)$", re.S)
POSTLOG = re.compile(
    rb"^(?P<stamp>[A-Z][a-z]{2} [0-3]\d \d\d:\d\d:\d\d) (?P<host>\S+) "
    rb"ptrc\[(?P<pid>\d+)\]: (?P<text>.*)$", re.S)
MARK = b"[...]"
MAX = 1024


class Receiver:
    """A syslog daemon's socket: collects datagrams in a thread."""

    def __init__(self, path, kind=socket.SOCK_DGRAM):
        self.path = str(path)
        self.sock = socket.socket(socket.AF_UNIX, kind)
        self.sock.bind(self.path)
        self.kind = kind
        self.messages = []
        self.stop = False
        if kind == socket.SOCK_STREAM:
            self.sock.listen()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    # close() comes once the sender is done: all it sent is queued. The
    # thread ends at the first wait that began after close() and found
    # nothing (it would otherwise leave the last messages unread).
    def run(self):
        self.sock.settimeout(0.1)
        if self.kind == socket.SOCK_STREAM:
            conn = None
            while conn is None:
                stopping = self.stop
                try:
                    conn, _ = self.sock.accept()
                except socket.timeout:
                    if stopping:
                        return
            data = b""
            conn.settimeout(0.1)
            while True:
                stopping = self.stop
                try:
                    chunk = conn.recv(65536)
                except socket.timeout:
                    if stopping:
                        break
                    continue
                if not chunk:
                    break
                data += chunk
            self.messages = data.split(b"\0")[:-1]
            return
        while True:
            stopping = self.stop
            try:
                self.messages.append(self.sock.recv(65536))
            except socket.timeout:
                if stopping:
                    return

    def close(self):
        self.stop = True
        self.thread.join(30)
        assert not self.thread.is_alive(), "the receiver did not end"
        self.sock.close()


def parse(messages, pattern=RFC3164):
    parsed = []
    for m in messages:
        match = pattern.match(m)
        assert match, m
        parsed.append(match)
    return parsed


def join_parts(texts):
    """Reassemble lines split with the continuation marker."""
    lines = []
    for t in texts:
        if t.startswith(MARK + b" "):
            assert lines and lines[-1].endswith(b" " + MARK), (lines[-1:], t)
            lines[-1] = lines[-1][:-len(MARK) - 1] + t[len(MARK) + 1:]
        else:
            assert not lines or not lines[-1].endswith(b" " + MARK), lines[-1]
            lines.append(t)
    return lines


def test_each_line_is_one_message(tmp_path):
    rcv = Receiver(tmp_path / "log")
    try:
        done = ptrc("run", "--syslog=local3.debug", "--syslog-socket=" + rcv.path,
                    "--", fixture("fx_strings"))
    finally:
        rcv.close()
    assert done.returncode == 0, done.stderr
    ref, lines = None, None
    parsed = parse(rcv.messages)
    # local3 (19) * 8 + debug (7)
    assert {int(m.group("pri")) for m in parsed} == {159}
    assert len({m.group("pid") for m in parsed}) == 1
    texts = [m.group("text") for m in parsed]
    # The same lines as in a file.
    out = tmp_path / "trace.txt"
    ptrc("run", "-o", str(out), "--", fixture("fx_strings"))
    ref = [l.encode() for l in read_lines(out)]
    strip = lambda ls: [re.sub(rb"\s+= ", b" = ", re.sub(rb"(0x[0-9a-f]+|\d+)", b"N", l))
                        for l in ls]
    assert strip(join_parts(texts)) == strip(ref)
    assert b'write(1, "tab\\there \\"quoted\\" back\\\\slash\\n", 29) = 29' in \
        [re.sub(rb"\s+=", b" =", t) for t in texts]
    # Control bytes never reach the log (ptrc escapes them).
    assert not [m for m in rcv.messages if re.search(rb"[\x00-\x1f\x7f]", m)]
    assert all(len(m) <= MAX for m in rcv.messages)


def test_long_lines_are_split_within_the_limit(tmp_path):
    rcv = Receiver(tmp_path / "log")
    payload = "x" * 3000 + "\x1b[31m\x07end"
    try:
        done = ptrc("run", "-s", "5000", "--syslog", "--syslog-socket=" + rcv.path,
                    "--", "/bin/echo", "-n", payload)
    finally:
        rcv.close()
    assert done.returncode == 0, done.stderr
    assert all(len(m) <= MAX for m in rcv.messages), [len(m) for m in rcv.messages]
    parsed = parse(rcv.messages)
    assert {int(m.group("pri")) for m in parsed} == {2 * 8 + 6}  # mail.info
    texts = [m.group("text") for m in parsed]
    split = [t for t in texts if t.endswith(b" " + MARK)]
    assert len(split) >= 3  # the execve line and the write line, each > 2 parts
    lines = join_parts(texts)
    writes = [l for l in lines if l.startswith(b"write(1, ")]
    assert len(writes) == 1 and re.match(
        rb'^write\(1, "x{3000}\\33\[31m\\7end", 3009\)\s+= 3009$', writes[0]), writes
    assert not [m for m in rcv.messages if re.search(rb"[\x00-\x1f\x7f]", m)]


def test_missing_socket_fails_at_start(tmp_path):
    marker = tmp_path / "ran"
    done = ptrc("run", "--syslog-socket=" + str(tmp_path / "nope"), "--",
                "touch", str(marker))
    assert done.returncode == 73
    assert done.stderr == ("ptrc: cannot send to syslog socket %s: No such file or "
                           "directory (is a syslog daemon or Postfix's postlog "
                           "service running?)\n" % (tmp_path / "nope"))
    assert not marker.exists()  # nothing was started, nothing silently lost


def test_socket_nobody_listens_on_fails_at_start(tmp_path):
    path = tmp_path / "stale"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(str(path))
    s.close()  # a socket file left by a dead syslog daemon
    done = ptrc("run", "--syslog-socket=" + str(path), "--", "true")
    assert done.returncode == 73
    assert "Connection refused" in done.stderr


@pytest.mark.skipif(os.path.exists("/dev/log"), reason="/dev/log exists here")
def test_default_dev_log_missing_fails_at_start():
    done = ptrc("run", "--syslog", "--", "true")
    assert done.returncode == 73
    assert done.stderr.startswith("ptrc: cannot send to syslog socket /dev/log: ")


def test_stream_socket_gets_nul_terminated_records(tmp_path):
    rcv = Receiver(tmp_path / "log", socket.SOCK_STREAM)
    try:
        done = ptrc("run", "--syslog=daemon.notice", "--syslog-socket=" + rcv.path,
                    "--", fixture("fx_basic"))
    finally:
        rcv.close()
    assert done.returncode == 0, done.stderr
    parsed = parse(rcv.messages)
    assert parsed and {int(m.group("pri")) for m in parsed} == {3 * 8 + 5}
    assert parsed[-1].group("text") == b"+++ exited with 0 +++"


def test_postlog_format(tmp_path):
    rcv = Receiver(tmp_path / "postlog")
    env = dict(os.environ, POSTLOG_HOSTNAME="mx1.example.com")
    try:
        done = ptrc("run", "--postlog=" + rcv.path, "--", fixture("fx_basic"), env=env)
    finally:
        rcv.close()
    assert done.returncode == 0, done.stderr
    parsed = parse(rcv.messages, POSTLOG)
    assert {m.group("host") for m in parsed} == {b"mx1"}  # first label, as Postfix
    assert parsed[-1].group("text") == b"+++ exited with 0 +++"
    assert not [m for m in rcv.messages if m.startswith(b"<")]


def test_postlog_socket_from_the_environment(tmp_path):
    rcv = Receiver(tmp_path / "postlog")
    env = dict(os.environ, POSTLOG_SERVICE=rcv.path)
    env.pop("POSTLOG_HOSTNAME", None)
    try:
        done = ptrc("run", "--postlog", "--", fixture("fx_basic"), env=env)
    finally:
        rcv.close()
    assert done.returncode == 0, done.stderr
    parse(rcv.messages, POSTLOG)
    env.pop("POSTLOG_SERVICE")
    done = ptrc("run", "--postlog", "--", "true", env=env)
    assert done.returncode == 64 and "POSTLOG_SERVICE" in done.stderr


def test_receiver_that_never_reads_cannot_hold_ptrc(tmp_path):
    """A full socket (a stuck logger): ptrc waits 5 s at most, then gives
    up on the output with an error instead of holding its tracee."""
    path = tmp_path / "stuck"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(str(path))
    try:
        start = time.monotonic()
        done = ptrc("run", "--syslog-socket=" + str(path), "--", "/bin/ls", "-l", "/",
                    timeout=60)
        took = time.monotonic() - start
    finally:
        s.close()
    assert done.returncode == 73
    assert "ptrc: writing the trace: Connection timed out" in done.stderr
    assert took < 20


def test_syslog_usage_errors(tmp_path):
    for args, text in [(["--syslog=mail.nonsense"], "invalid syslog priority"),
                       (["--syslog=nofacility"], "invalid syslog priority"),
                       (["--syslog", "-o", str(tmp_path / "t")], "choose one"),
                       (["--syslog-socket="], "empty socket path")]:
        done = ptrc("run", *args, "--", "true")
        assert done.returncode == 64, (args, done.stderr)
        assert text in done.stderr, (args, done.stderr)
