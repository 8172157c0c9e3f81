"""A private Postfix instance for tests: its own config, queue, data and
log directories under one temporary directory, listening on 127.0.0.1 at
a free high port, logging through postlogd into a file (no syslog daemon
needed), delivering nothing (every transport is discard:).

Used by tests/integration/test_postfix*.py; can also be run by hand:

    python3 tests/postfix/instance.py DIR [DEBUGGER_COMMAND]

creates and starts an instance in DIR and prints its port.
"""
import grp
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import time

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
POSTCONF = shutil.which("postconf") or "/usr/sbin/postconf"


def available():
    """None when a private instance can run here, else the reason."""
    if os.geteuid() != 0:
        return "needs root (Postfix's master runs as root)"
    if not os.path.exists(POSTFIX):
        return "postfix is not installed (tools/install-deps installs it)"
    try:
        pwd.getpwnam("postfix")
        grp.getgrnam("postdrop")
    except KeyError:
        return "no postfix user or postdrop group"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MAIN_CF = """\
# A private test instance (tests/postfix/instance.py).
compatibility_level = 3.6
config_directory = {config}
queue_directory = {queue}
data_directory = {data}
maillog_file = {log}
maillog_file_prefixes = {logdir}
myhostname = ptrc-test.localdomain
mydomain = localdomain
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_peername_lookup = no
smtpd_banner = $myhostname ESMTP ptrc-test
# Nothing leaves the instance.
default_transport = discard:ptrc-test
relay_transport = discard:ptrc-test
local_transport = discard:ptrc-test
biff = no
alias_maps =
alias_database =
# Short throttling after a crash, quick shutdown.
daemon_timeout = 60s
in_flow_delay = 0
debugger_command = {debugger}
"""

# smtpd runs chrooted (column 5 = y), as Debian's default master.cf has it,
# so that its trace shows chroot() and the privilege drop; every other
# service runs unchrooted and needs no jail files.
MASTER_CF = """\
127.0.0.1:{port} inet n - y - - smtpd {smtpd_args}
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class Instance:
    def __init__(self, root, debugger_command="", smtpd_args="", port=None):
        self.root = os.path.abspath(root)
        self.config = os.path.join(self.root, "etc")
        self.queue = os.path.join(self.root, "queue")
        self.data = os.path.join(self.root, "data")
        self.logdir = os.path.join(self.root, "log")
        self.log = os.path.join(self.logdir, "maillog")
        self.port = port or free_port()
        self.debugger_command = debugger_command
        self.smtpd_args = smtpd_args
        self.started = False
        self._create()

    @property
    def postlog_socket(self):
        return os.path.join(self.queue, "public", "postlog")

    def _create(self):
        postfix = pwd.getpwnam("postfix")
        # Postfix refuses directories that others could write to or that
        # are not root's: every level of the tree is root's, 0755.
        for d in (self.root, self.config, self.queue, self.logdir):
            os.makedirs(d, exist_ok=True)
            os.chown(d, 0, 0)
            os.chmod(d, 0o755)
        os.makedirs(self.data, exist_ok=True)
        os.chown(self.data, postfix.pw_uid, postfix.pw_gid)
        os.chmod(self.data, 0o700)
        self.write_config()

    def write_config(self, debugger_command=None, smtpd_args=None):
        if debugger_command is not None:
            self.debugger_command = debugger_command
        if smtpd_args is not None:
            self.smtpd_args = smtpd_args
        with open(os.path.join(self.config, "main.cf"), "w") as f:
            f.write(MAIN_CF.format(config=self.config, queue=self.queue,
                                   data=self.data, log=self.log,
                                   logdir=self.logdir,
                                   debugger=self.debugger_command))
        with open(os.path.join(self.config, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=self.port,
                                     smtpd_args=self.smtpd_args))

    def postfix(self, *args, timeout=60):
        return subprocess.run([POSTFIX, "-c", self.config, *args],
                              capture_output=True, text=True, timeout=timeout)

    def start(self):
        done = self.postfix("start")
        if done.returncode != 0:
            raise RuntimeError("postfix start failed: %s%s\n%s" % (
                done.stdout, done.stderr, self.log_text()))
        self.started = True
        # master listens once it is up. Look at the kernel's socket table
        # rather than connecting: a probe would be a session (and start a
        # debugger_command).
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.listening():
                return
            time.sleep(0.05)
        raise RuntimeError("master never listened on port %d" % self.port)

    def listening(self):
        want = ":%04X" % self.port
        try:
            with open("/proc/net/tcp") as f:
                for line in f.readlines()[1:]:
                    fields = line.split()
                    if fields[1].endswith(want) and fields[3] == "0A":
                        return True
        except OSError:
            pass
        return False

    def master_pid(self):
        try:
            with open(os.path.join(self.data, "master.lock")) as f:
                return int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def stop(self, timeout=30):
        if not self.started:
            return
        self.started = False
        self.postfix("stop", timeout=timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.processes():
            time.sleep(0.05)

    def processes(self):
        """(pid, comm, state, cmdline) of every process of this instance:
        those whose environment says MAIL_CONFIG=our config directory, or
        whose command line names our directory (ptrc, the shell)."""
        found = []
        needle = self.root.encode()
        conf = ("MAIL_CONFIG=" + self.config).encode()
        for name in os.listdir("/proc"):
            if not name.isdigit() or int(name) == os.getpid():
                continue
            try:
                with open("/proc/%s/cmdline" % name, "rb") as f:
                    cmdline = f.read()
                try:
                    with open("/proc/%s/environ" % name, "rb") as f:
                        environ = f.read().split(b"\0")
                except OSError:
                    environ = []
                with open("/proc/%s/stat" % name, errors="replace") as f:
                    stat = f.read()
            except OSError:
                continue
            if needle in cmdline or conf in environ:
                comm = stat[stat.index("(") + 1:stat.rindex(")")]
                state = stat[stat.rindex(")") + 2]
                found.append((int(name), comm, state,
                              cmdline.replace(b"\0", b" ").decode(errors="replace")))
        return found

    def log_text(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""


if __name__ == "__main__":
    inst = Instance(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "",
                    "-D" if len(sys.argv) > 2 else "")
    inst.start()
    print(inst.port)


class SmtpSession:
    """A minimal SMTP client with bounded waits that records when the
    banner came: `banner_delay` (seconds from connect to the 220 line)."""

    def __init__(self, port, timeout=20, source=None):
        start = time.monotonic()
        # SOURCE: the client's address (127.0.0.2: another loopback peer)
        self.sock = socket.create_connection(
            ("127.0.0.1", port), timeout,
            source_address=(source, 0) if source else None)
        self.file = self.sock.makefile("rwb")
        self.banner = self.reply()
        self.banner_delay = time.monotonic() - start

    def reply(self):
        lines = []
        while True:
            line = self.file.readline()
            if not line:
                raise ConnectionError("connection closed after %r" % lines)
            lines.append(line.decode(errors="replace").rstrip("\r\n"))
            if line[3:4] != b"-":
                return lines

    def command(self, text):
        self.file.write(text.encode() + b"\r\n")
        self.file.flush()
        return self.reply()

    def mail(self, sender="sender@example.com", rcpt="rcpt@example.org"):
        """EHLO, MAIL FROM, RCPT TO, DATA, QUIT; returns every reply."""
        replies = [self.command("EHLO client.example.com"),
                   self.command("MAIL FROM:<%s>" % sender),
                   self.command("RCPT TO:<%s>" % rcpt),
                   self.command("DATA")]
        self.file.write(b"Subject: ptrc test\r\n\r\nhello\r\n.\r\n")
        self.file.flush()
        replies.append(self.reply())
        replies.append(self.command("QUIT"))
        return replies

    def close(self):
        for f in (self.file, self.sock):
            try:
                f.close()
            except OSError:
                pass
