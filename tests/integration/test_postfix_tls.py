"""What an SMTP client says inside STARTTLS, seen by `ptrc -l`: smtpd
traced through debugger_command with

    ptrc attach --background -l SSL_read,SSL_write -e dump -o FILE $process_id

shows the decrypted commands in SSL_read's data and the replies in
SSL_write's, which a syscall trace only shows encrypted.

The instance (tests/postfix/instance.py, through test_postfix.py's
`postfix` fixture) gets a self-signed certificate made with openssl in the
test's directory, smtpd_tls_security_level = may, and a tlsmgr service
(without it smtpd finds no entropy and disables TLS).
"""
import os
import re
import smtplib
import ssl
import subprocess

import pytest

from conftest import wait_for
from test_postfix import REASON, debugger_runs, live, log_records, postfix  # noqa: F401

pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")

HELO = "client.example.com"
# strace's -e write= layout (src/decode/hexdump.c): offset, 16 bytes in hex
# (a gap after 8), the same as ASCII.
DUMP_LINE = re.compile(r"^ \| (?P<off>[0-9a-f]{5}) (?P<hex>.{49})  (?P<ascii>.{16}) \|$")
CALL_LINE = re.compile(
    r"^(?P<name>SSL_read|SSL_write)@(?P<module>\S+?)\((?P<args>.*)\) = (?P<ret>-?\d+)$")


def enable_tls(inst, tmp_path):
    """A self-signed certificate and key in TMP_PATH (smtpd reads them as
    root before it enters its chroot), TLS offered by smtpd, and tlsmgr."""
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    if not os.path.exists(cert):
        done = subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
             "-keyout", key, "-out", cert, "-days", "2",
             "-subj", "/CN=ptrc-test.localdomain"],
            capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    with open(os.path.join(inst.config, "main.cf"), "a") as f:
        f.write("smtpd_tls_security_level = may\n"
                "smtpd_tls_cert_file = %s\nsmtpd_tls_key_file = %s\n" % (cert, key))
    with open(os.path.join(inst.config, "master.cf"), "a") as f:
        f.write("tlsmgr unix - - n 1000? 1 tlsmgr\n")


def starttls_session(port):
    """EHLO, STARTTLS (no certificate check), EHLO, quit. Returns what
    the server sent after STARTTLS, as the bytes of its reply lines."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    s = smtplib.SMTP("127.0.0.1", port, local_hostname=HELO, timeout=20)
    s.ehlo_msg = "EHLO"  # smtplib says "ehlo"; the test looks for EHLO
    try:
        code, _ = s.ehlo()
        assert code == 250 and s.has_extn("starttls"), s.esmtp_features
        code, text = s.starttls(context=context)
        assert code == 220, (code, text)
        assert isinstance(s.sock, ssl.SSLSocket) and s.sock.version(), s.sock
        code, text = s.ehlo()
        assert code == 250, (code, text)
        ehlo = text.decode().split("\n")
        code, text = s.quit()
        assert code == 221, (code, text)
    finally:
        s.close()
    replies = ["250-%s\r\n" % l for l in ehlo[:-1]] + ["250 %s\r\n" % ehlo[-1],
                                                       "221 %s\r\n" % text.decode()]
    return "".join(replies).encode()


def test_starttls_without_ptrc(postfix, tmp_path):
    """The instance's TLS works on its own: STARTTLS is offered and
    accepted, and the session goes on encrypted."""
    inst = postfix("", "-o max_use=1")
    enable_tls(inst, tmp_path)
    inst.start()
    replies = starttls_session(inst.port)
    assert replies.startswith(b"250-ptrc-test.localdomain\r\n")
    assert replies.endswith(b"221 2.0.0 Bye\r\n")
    assert wait_for(lambda: re.search(r"disconnect from .* starttls=1 ", inst.log_text()),
                    timeout=10), inst.log_text()
    problems = [r for r in log_records(inst) if "warning:" in r[2] or "fatal:" in r[2]]
    assert not problems, problems
    inst.stop()


def parse_trace(lines):
    """[(name, args, ret, dumped bytes)] of the SSL_read/SSL_write lines;
    fails on any other line (no syscall is traced without -e trace=), but
    for a last "+++ exited with 0 +++" and signals (smtpd gets a SIGCHLD
    when its debugger_command's shell ends)."""
    if lines and lines[-1] == "+++ exited with 0 +++":
        lines = lines[:-1]
    calls = []
    for line in lines:
        if re.fullmatch(r"--- SIG[A-Z0-9]+ \{.*\} ---", line):
            continue
        m = DUMP_LINE.match(line)
        if m:
            assert calls, "a dump before any call: %r" % line
            data = calls[-1][3]
            assert int(m.group("off"), 16) == len(data), line
            hexpart = m.group("hex")
            assert re.fullmatch(r"( [0-9a-f]{2}| {3}){8} ( [0-9a-f]{2}| {3}){8}", hexpart), line
            chunk = bytes(int(h, 16) for h in re.findall(r"[0-9a-f]{2}", hexpart))
            ascii = "".join(chr(b) if 0x20 <= b < 0x7f else "." for b in chunk)
            assert m.group("ascii") == ascii.ljust(16), line
            data.extend(chunk)
            continue
        m = CALL_LINE.match(line)
        assert m, "not an SSL_read/SSL_write or dump line: %r" % line
        assert m.group("module") == "libssl.so.3", line
        calls.append((m.group("name"), m.group("args"), int(m.group("ret")), bytearray()))
    return calls


def check_tls_trace(lines, replies):
    """The trace of one STARTTLS session (starttls_session): what smtpd
    received through SSL_read and sent through SSL_write."""
    calls = parse_trace(lines)

    reads = [c for c in calls if c[0] == "SSL_read"]
    writes = [c for c in calls if c[0] == "SSL_write"]
    for name, args, ret, data in calls:
        # A dump of the bytes transferred; none for a call that failed.
        assert len(data) == max(ret, 0), (name, args, ret, bytes(data))
    received = b"".join(bytes(c[3]) for c in reads)
    sent = b"".join(bytes(c[3]) for c in writes)
    # (smtplib's quit() says "quit")
    assert received == ("EHLO %s\r\nquit\r\n" % HELO).encode(), (received, lines)
    assert sent == replies, (sent, replies)
    # The EHLO line came in one SSL_read, the EHLO reply went out in SSL_write
    # calls of its own: the arguments show the data, as strings, too.
    ehlo = [c for c in reads if bytes(c[3]) == ("EHLO %s\r\n" % HELO).encode()]
    assert len(ehlo) == 1, reads
    assert re.search(r'"EHLO client\.example\.com\\r\\n"', ehlo[0][1]), ehlo[0]
    assert re.match(r'0x[0-9a-f]+, "250-ptrc-test\.localdomain\\r\\n', writes[0][1]), writes[0]
    assert bytes(writes[0][3]).startswith(b"250-ptrc-test.localdomain\r\n")


def test_starttls_session_decrypted(postfix, tmp_path):
    """debugger_command = ptrc attach --background -l SSL_read,SSL_write
    -e dump: smtpd's SSL_read calls return the client's commands after
    STARTTLS, in clear, and its SSL_write calls send the replies; each
    dump holds exactly the bytes returned (SSL_read) or written
    (SSL_write), and together they are the whole encrypted part of the
    session, nothing of the clear part."""
    inst = postfix("PATH=/bin:/usr/bin:/usr/local/bin; @PTRC@ attach --background "
                   "-l SSL_read,SSL_write -e dump "
                   "-o $config_directory/$process_name.$process_id.trace $process_id "
                   "2>>$config_directory/ptrc.errors", "-o max_use=1 -D")
    enable_tls(inst, tmp_path)
    inst.start()
    replies = starttls_session(inst.port)
    runs = debugger_runs(inst)
    assert len(runs) == 1, inst.log_text()
    # smtpd ends after the session (max_use=1), and ptrc with it.
    assert wait_for(lambda: not live(inst, "smtpd") and not live(inst, "ptrc"),
                    timeout=15), inst.processes()
    errors = os.path.join(inst.config, "ptrc.errors")
    errors = open(errors).read() if os.path.exists(errors) else ""
    trace = os.path.join(inst.config, "smtpd.%d.trace" % runs[0])
    assert os.path.exists(trace), "no trace; ptrc said: %r" % errors
    assert errors == ""
    with open(trace, errors="replace") as f:
        lines = f.read().splitlines()
    check_tls_trace(lines, replies)

    problems = [r for r in log_records(inst) if "warning:" in r[2] or "fatal:" in r[2]]
    assert not problems, problems
    inst.stop()
    assert wait_for(lambda: not live(inst), timeout=15), live(inst)
