"""--peer on a real Postfix (tests/postfix/instance.py, the helpers of
test_postfix.py): smtpd's debugger_command runs ptrc with --peer
127.0.0.2, two clients send a message each, from 127.0.0.1 and then from
127.0.0.2; the trace in the maillog holds the second session, from its
accept to its close, and nothing of the first."""
import re

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
