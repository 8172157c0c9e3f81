"""--peer on a real Postfix (tests/postfix/instance.py, the helpers of
test_postfix.py): smtpd's debugger_command runs ptrc with --peer
127.0.0.2, two clients send a message each, from 127.0.0.1 and then from
127.0.0.2; the trace in the maillog holds the second session, from its
accept to its close, and nothing of the first."""
import os
import re
import shutil

from conftest import wait_for
from test_postfix import live, log_records, postfix, ptrc_traces, pf  # noqa: F401

pytestmark = __import__("test_postfix").pytestmark


def send(inst, source, helo):
    s = pf.SmtpSession(inst.port, source=source)
    try:
        assert s.banner[0].startswith("220 "), s.banner
        for command in ("EHLO " + helo, "MAIL FROM:<a@example.com>",
                        "RCPT TO:<b@example.org>", "DATA"):
            s.command(command)
        s.file.write(b"Subject: ptrc --peer\r\n\r\nhello\r\n.\r\n")
        s.file.flush()
        queued = s.reply()
        assert queued[-1].startswith("250 "), queued
        assert s.command("QUIT")[-1].startswith("221 ")
    finally:
        s.close()


def test_peer_shows_only_the_matching_session(postfix):
    inst = postfix("PATH=/bin:/usr/bin:/usr/local/bin; @PTRC@ attach "
                   "--background --postlog --peer 127.0.0.2 $process_id",
                   "-D")
    inst.start()
    send(inst, "127.0.0.1", "one.example.com")
    send(inst, "127.0.0.2", "two.example.com")

    def whole():
        text = "\n".join(l for t in ptrc_traces(inst).values() for l in t)
        return re.search(r'^close\(\d+\) += 0$', text, re.M) and \
            '"221 2.0.0 Bye\\r\\n"' in text
    assert wait_for(whole, timeout=30), inst.log_text()
    smtpds = {pid for prog, pid, text in log_records(inst)
              if prog == "postfix/smtpd" and text.startswith("connect from")}
    traces = ptrc_traces(inst)
    lines = [l for t in traces.values() for l in t]
    text = "\n".join(lines)
    assert "one.example.com" not in text
    # one session: one accept, one peer (getsockname shows 127.0.0.1, the
    # server's own end)
    assert len(re.findall(r"^accept4?\(", text, re.M)) == 1, text
    assert not re.search(r'^getpeername\(.*"127\.0\.0\.1"', text, re.M)
    # the session, whole: from the accept to the close of its descriptor
    m = re.match(r'accept4?\(\d+, \{sa_family=AF_INET, sin_port=htons\(\d+\), '
                 r'sin_addr=inet_addr\("127\.0\.0\.2"\)\}, .*\) += (\d+)$',
                 lines[0])
    assert m, lines[:3]
    assert re.match(r"close\(%s\) += 0$" % m.group(1), lines[-1]), lines[-3:]
    for reply in (r'write\(%s, "220 ptrc-test\.localdomain ESMTP ',
                  r'read\(%s, "EHLO two\.example\.com\\r\\n"',
                  r'write\(%s, "250 2\.0\.0 Ok: queued as ',
                  r'write\(%s, "221 2\.0\.0 Bye\\r\\n"'):
        assert re.search("^" + reply % m.group(1), text, re.M), (reply, text)
    # nothing of smtpd's start (chroot, setuid) nor its wait for the next
    assert not re.search(r"^(chroot|setuid|wait4)\(", text, re.M), text
    print("\nsmtpd processes: %s, ptrc traces: %d lines" % (
        sorted(smtpds), len(lines)))


def dialogue(inst, source, helo):
    """A session whose every line is kept as the transcript should show
    it: ("C", line) sent, ("S", line) received."""
    s = pf.SmtpSession(inst.port, source=source)
    said = [("S", l) for l in s.banner]
    try:
        for command in ("EHLO " + helo, "MAIL FROM:<a@example.com>",
                        "RCPT TO:<b@example.org>", "DATA"):
            said.append(("C", command))
            said += [("S", l) for l in s.command(command)]
        message = ["Subject: ptrc --transcript", "", "hello", "."]
        s.file.write("".join(l + "\r\n" for l in message).encode())
        s.file.flush()
        said += [("C", l) for l in message] + [("S", l) for l in s.reply()]
        said.append(("C", "QUIT"))
        said += [("S", l) for l in s.command("QUIT")]
    finally:
        s.close()
    return said


def test_transcripts_of_two_sessions(postfix):
    import tempfile
    out = tempfile.mkdtemp(prefix="ptrc-transcripts-")
    try:
        inst = postfix("PATH=/bin:/usr/bin:/usr/local/bin; @PTRC@ attach "
                       "--background --postlog -e trace=none "
                       "--transcript %s --pcap %s/$process_id.pcap "
                       "$process_id" % (out, out), "-D")
        inst.start()
        sessions = [dialogue(inst, "127.0.0.1", "one.example.com"),
                    dialogue(inst, "127.0.0.2", "two.example.com")]

        def tcp_files():
            return sorted(n for n in os.listdir(out) if "-127.0.0." in n)

        def complete():
            files = tcp_files()
            return len(files) == 2 and all(
                open(os.path.join(out, f)).read().endswith(
                    "S: 221 2.0.0 Bye\n") for f in files)
        assert wait_for(complete, timeout=30), (os.listdir(out), inst.log_text())
        for n, name in enumerate(sorted(tcp_files(), key=lambda f: "127.0.0.2"
                                        in f)):
            assert re.match(r"\d{8}T\d{6}-127\.0\.0\.%d\.%d-smtpd\.\d+\.txt$"
                            % (n + 1, inst.port), name), name
            lines = open(os.path.join(out, name)).read().splitlines()
            body = [tuple(l.split(": ", 1)) if ": " in l else (l[0], "")
                    for l in lines if not l.startswith("# ")]
            assert body == [(side, text) for side, text in sessions[n]]
            queued = [t for s, t in sessions[n] if "queued as" in t][0]
            queue_id = queued.split("queued as ")[1].strip()
            assert "# queue-id: %s" % queue_id in [l.rstrip() for l in lines]
        if shutil.which("tshark"):
            # each stream is flushed when smtpd closes its connection
            assert wait_for(lambda: pcap_streams(out, inst.port) ==
                            wanted_streams(inst.port, sessions), timeout=30), \
                (pcap_streams(out, inst.port), wanted_streams(inst.port, sessions))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def pcap_streams(out, port):
    """The streams of the captures in OUT as tshark reads them: (client
    address, server "address:port", client bytes, server bytes)."""
    from test_pcap import streams
    got = set()
    for name in os.listdir(out):
        if name.endswith(".pcap"):
            got |= {(v[0].rsplit(":", 1)[0], v[1], v[2], v[3])
                    for v in streams(os.path.join(out, name)).values()}
    return got


def wanted_streams(port, sessions):
    """One stream per session, from the client's address to the service's
    port, each way the bytes the client sent and received."""
    wanted = set()
    for n, said in enumerate(sessions, 1):
        c = "".join(t + "\r\n" for side, t in said if side == "C").encode()
        s = "".join(t + "\r\n" for side, t in said if side == "S").encode()
        wanted.add(("127.0.0.%d" % n, "127.0.0.1:%d" % port, c, s))
    return wanted
