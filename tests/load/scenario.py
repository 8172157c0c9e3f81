"""One load run: a private Postfix instance (tests/postfix/instance.py) on
127.0.0.1 whose smtpd runs with -D under a process limit, relaying every
message to Postfix's smtp-sink on another port, which writes one file per
message it receives (the destination count); smtp-source drives it with
parallel sessions. Optional disturbances run beside the load: smtpd killed
with SIGSEGV, tracers killed with SIGKILL.

The measures of a run (see LoadResult): messages sent, accepted (cleanup's
message-id records), delivered (files at the sink), failed sessions as the
client saw them, time, smtpd processes started, debugger_command runs,
tracers seen, crash reports, and what is left over after `postfix stop`:
processes stopped or traced, tracers still running.
"""
import glob
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "postfix"))
import instance as pf  # noqa: E402

SMTP_SOURCE = shutil.which("smtp-source") or "/usr/sbin/smtp-source"
SMTP_SINK = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
RECORD = re.compile(r"^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ (?P<prog>[\w/.-]+)"
                    r"\[(?P<pid>\d+)\]: (?P<text>.*)$")


def available():
    reason = pf.available()
    if reason:
        return reason
    for tool in (SMTP_SOURCE, SMTP_SINK):
        if not os.path.exists(tool):
            return "%s is not installed (Debian's postfix package has it)" % tool
    return None


class LoadResult:
    def __init__(self, name):
        self.name = name
        self.sent = self.accepted = self.delivered = self.failed = 0
        self.seconds = 0.0
        self.smtpd_started = self.debugger_runs = 0
        self.tracers_seen = self.tracers_left = 0
        self.crash_reports = self.segv_sent = self.tracers_killed = 0
        self.stopped_left = []      # processes left in a stop after the run
        self.traced_left = []       # processes left with a tracer
        self.errors = []            # maillog warnings/errors of the run
        self.problems = []          # what makes the run a failure

    @property
    def throughput(self):
        return self.delivered / self.seconds if self.seconds else 0.0

    def as_dict(self):
        d = dict(vars(self))
        d["throughput"] = round(self.throughput, 2)
        d["seconds"] = round(self.seconds, 2)
        return d


class Sink:
    """smtp-sink on 127.0.0.1:PORT dumping each message to a file of DIR."""

    def __init__(self, directory):
        self.dir = directory
        os.makedirs(directory, exist_ok=True)
        postfix = pf.pwd.getpwnam("postfix")
        os.chown(directory, postfix.pw_uid, postfix.pw_gid)
        self.port = pf.free_port()
        self.proc = subprocess.Popen(
            [SMTP_SINK, "-u", "postfix", "-d", os.path.join(directory, "m."),
             "127.0.0.1:%d" % self.port, "256"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 1).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("smtp-sink failed: %s" %
                                       self.proc.stderr.read().decode())
                time.sleep(0.05)
        raise RuntimeError("smtp-sink never listened")

    def count(self):
        return len(os.listdir(self.dir))

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def make_instance(root, ptrc, debugger_command, procs, max_use, sink_port):
    inst = pf.Instance(root, "", "-o max_use=%d -D" % max_use
                       if debugger_command else "-o max_use=%d" % max_use)
    inst.write_config(debugger_command.replace("@PTRC@", ptrc))
    # Relay everything to the sink; the process limit of the test.
    settings = ["default_process_limit=%d" % procs,
                "default_transport=smtp", "relay_transport=smtp",
                "relayhost=[127.0.0.1]:%d" % sink_port,
                "smtp_tls_security_level=none",
                "smtpd_client_connection_count_limit=0",
                "smtpd_client_connection_rate_limit=0",
                "smtpd_client_message_rate_limit=0",
                "default_destination_concurrency_limit=%d" % procs,
                "smtp_connection_cache_on_demand=no"]
    subprocess.run([pf.POSTCONF, "-c", inst.config, "-e", *settings], check=True)
    return inst


def records(inst):
    out = []
    for line in inst.log_text().splitlines():
        m = RECORD.match(line)
        if m:
            out.append((m.group("prog"), int(m.group("pid")), m.group("text")))
    return out


def pids_of(comm, inst):
    return [p[0] for p in inst.processes() if p[1] == comm and p[2] != "Z"]


def status_of(pid, field):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return line.split()[1]
    except OSError:
        pass
    return None


class Disturber(threading.Thread):
    """Every INTERVAL seconds (randomised), one process named COMM of the
    instance gets SIG, until stopped. Counts what it sent."""

    def __init__(self, inst, comm, sig, interval, seed):
        super().__init__(daemon=True)
        self.inst, self.comm, self.sig = inst, comm, sig
        self.interval = interval
        self.random = random.Random(seed)
        self.sent = 0
        self.done = threading.Event()

    def run(self):
        # The first at once (a small run may last a second), then every
        # INTERVAL or so.
        wait = 0.05
        while not self.done.wait(wait):
            wait = self.interval * self.random.uniform(0.5, 1.5)
            candidates = pids_of(self.comm, self.inst)
            if self.comm == "ptrc":
                # The tracers themselves: the processes an smtpd names as
                # its TracerPid (not a helper task an ASan build's leak
                # checker starts under the same name at exit).
                tracers = {status_of(p, "TracerPid")
                           for p in pids_of("smtpd", self.inst)}
                candidates = [p for p in candidates if str(p) in tracers]
            if self.comm == "smtpd":
                # Only a daemon that has served a whole session (master
                # throttles a service, "bad command startup", whose daemon
                # dies before it completed one) and whose tracer holds it
                # (the crash recipe's promise is about those).
                serving = {pid for prog, pid, text in records(self.inst)
                           if prog == "postfix/smtpd" and
                           text.startswith("disconnect from")}
                candidates = [p for p in candidates if p in serving and
                              status_of(p, "TracerPid") not in (None, "0")]
            if not candidates:
                wait = 0.05   # look again soon
                continue
            try:
                os.kill(self.random.choice(candidates), self.sig)
                self.sent += 1
            except ProcessLookupError:
                pass


class TracerSampler(threading.Thread):
    """Every 0.2 s, the RSS and CPU time of each ptrc of the instance: the
    largest RSS seen per tracer and its last CPU time (a tracer's CPU time
    only grows, so the last sample is its total, near enough)."""

    def __init__(self, inst):
        super().__init__(daemon=True)
        self.inst = inst
        self.rss_kb = {}
        self.cpu_s = {}
        self.done = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def sample(self, pid):
        try:
            rss = int(status_of(pid, "VmRSS") or 0)
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except (OSError, ValueError):
            return
        self.rss_kb[pid] = max(self.rss_kb.get(pid, 0), rss)
        self.cpu_s[pid] = (int(fields[11]) + int(fields[12])) / self.tick

    def run(self):
        while not self.done.wait(0.2):
            for pid in pids_of("ptrc", self.inst):
                self.sample(pid)


def drive(inst, messages, sessions):
    """MESSAGES messages over SESSIONS parallel clients, one message per SMTP
    session: each client is `smtp-source -s 1 -c`, whose counter says how
    many messages it got through; smtp-source ends at its first failed
    session, so a client that fails counts one failure and starts again
    for the rest (in the SIGSEGV run, the sessions in flight fail).
    Returns (seconds, failed sessions, the clients' error lines)."""
    share = [messages // sessions + (1 if i < messages % sessions else 0)
             for i in range(sessions)]
    failures = [0] * sessions
    errors = []

    def client(i):
        left = share[i]
        while left > 0:
            done = subprocess.run(
                [SMTP_SOURCE, "-c", "-s", "1", "-m", str(left),
                 "-f", "sender@example.com", "-t", "rcpt@example.org",
                 "-M", "load.example.com", "127.0.0.1:%d" % inst.port],
                capture_output=True, text=True, timeout=3600)
            counts = re.findall(r"\d+", done.stdout)
            sent = int(counts[-1]) if counts else 0
            # A failed session is one error line; smtp-source may go on
            # after it, or end there. Failed sessions are not retried.
            lines = [l for l in done.stderr.splitlines() if l]
            failed = len(lines) or (1 if done.returncode or sent < left else 0)
            left -= sent + failed
            failures[i] += failed
            errors.extend(lines)

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - start, sum(failures), "\n".join(errors)


def settle(inst, sink, result, timeout):
    """Wait until every accepted message is at the sink (or TIMEOUT)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result.accepted = len([1 for prog, _, text in records(inst)
                               if prog == "postfix/cleanup" and "message-id=" in text])
        result.delivered = sink.count()
        if result.delivered >= result.accepted and not queue_files(inst):
            return
        time.sleep(0.2)


def queue_files(inst):
    return [f for d in ("incoming", "active", "deferred", "maildrop")
            for f in glob.glob(os.path.join(inst.queue, d, "**", "*"), recursive=True)
            if os.path.isfile(f)]
