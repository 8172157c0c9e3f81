r"""Differential comparison of ptrc's trace with strace's (tests/differential).

Both traces are read into one stream of complete events per process
(an `<unfinished ...>` joined with its `<... NAME resumed>`), processes are
named by their place in the fork tree (P0, its first child P1, ...), and
each line is normalized by the rules below: only what legitimately differs
between two runs of the same program. The two streams of each process are
then aligned on syscall names (difflib) and compared line by line.

Normalization rules (each applied to both traces alike):
  pids        a number equal to a traced pid/tid (from the "PID " prefixes
              and fork/clone results) becomes its tree name, as a whole
              number only: getpid's result, kill's argument, si_pid, nl_pid,
              the fixture's "DIR.PID" temp directory...
  column      the padding before " = " (both pad to column 40 counting
              their "PID " prefix of -f -o output, "%-5d ": it differs
              only when the two runs' pids have different numbers of
              digits, above 5).
  addresses   0x followed by 6 or more hex digits (heap, stack, mmap, brk:
              randomized by ASLR). Small values (0x8, 0x10, flag remainders)
              are kept.
  clock       values read from clocks: clock_gettime/gettimeofday/time
              results, the "left {...}" of ppoll/pselect6/select/recvmmsg, times()'s
              result and tms_*, rusage ru_utime/ru_stime, sysinfo's
              uptime/loads/*ram/procs, si_utime/si_stime of SIGCHLD, and
              futex/clock_nanosleep remaining times.
  ports       htons(N) for N in the kernel's ephemeral range, and the two
              port bytes of an AF_INET sockaddr cut to sa_data.
  random      the bytes getrandom returns (their \xNN form is kept).
  inodes      -y/-yy's inode numbers (socket:[N], pipe:[N], TCP:[N],
              UNIX-STREAM:[N->PEER,...]) become INO1, INO2... in order of
              first appearance in each trace, and ephemeral ports of -yy's
              endpoints (127.0.0.1:PORT->...) become PORT.
  ipc         SysV IPC identifiers (numbered by the kernel in sequence:
              each run gets new ones), as the get calls return them and
              as the first argument of the others, and the times of the
              ctl structures (*_stime, *_ctime...).
  garbage     the iovec array of a readv/writev whose count is huge: 32
              entries of uninitialized stack (fx_structs' EINVAL case);
              its values are replaced, its shape kept.
"""
import difflib
import re

# -f -o: every line but -e read=/write= dumps starts with "PID " ("%-5d "),
# in strace's output and in ptrc's alike (tests/integration/test_pid_prefix.py
# compares the two prefixes byte for byte).
PREFIX = re.compile(r"^(?P<pid>\d+) +(?P<text>.*)$")
UNFINISHED = re.compile(r"^(?P<head>.*) <unfinished \.\.\.>$")
RESUMED = re.compile(r"^<\.\.\. (?P<name>\w+) resumed>(?P<rest>.*)$")
CALL = re.compile(r"^(?P<name>\w+)\((?P<args>.*)\)\s+= (?P<ret>.*)$")
CALL_NORET = re.compile(r"^(?P<name>\w+)\(")
CREATES = {"clone", "clone3", "fork", "vfork"}
# -e read=/write= dump lines (" | 00000  68 69 ...", " * 2 bytes in buffer
# 0", " = 2 buffers in vector 0"): unprefixed in both traces, they belong
# to the line before them.
DUMP = re.compile(r"^ (\||\*|=) ")


def ephemeral_ports():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = f.read().split()
        return int(lo), int(hi)
    except (OSError, ValueError):
        return 32768, 60999


PORTS = ephemeral_ports()


class Event:
    """One complete line of one process: a syscall (name set), a signal
    (--- ... ---), an exit (+++ ... +++) or a note."""

    def __init__(self, pid, text):
        self.pid = pid
        self.text = text
        m = CALL.match(text)
        self.name = m.group("name") if m else None
        self.ret = m.group("ret") if m else None
        if self.name is None:
            m = CALL_NORET.match(text)
            if m:
                self.name = m.group("name")
        self.norm = None
        self.plain = None

    @property
    def key(self):
        """What the alignment compares: the syscall name or the kind."""
        if self.name:
            return self.name
        if self.text.startswith("---"):
            return "--- " + self.text.split()[1]
        if self.text.startswith("+++"):
            return "+++"
        return self.text


def dumps_follow(pairs):
    """Dump lines get the pid of the line before them."""
    out = []
    for pid, text in pairs:
        if DUMP.match(text) and out:
            pid = out[-1][0]
        out.append((pid, text))
    return out


def split(lines):
    """-f -o: every line starts with "PID " (but dump lines)."""
    out = []
    for line in lines:
        m = PREFIX.match(line)
        if m:
            out.append((int(m.group("pid")), m.group("text")))
        elif line.strip():
            out.append((None, line))
    return dumps_follow(out)


def join(pairs):
    """(pid, text) lines -> Events, unfinished/resumed pairs joined."""
    pending = {}
    events = []
    for pid, text in pairs:
        m = UNFINISHED.match(text)
        if m:
            ev = Event(pid, m.group("head"))
            pending[pid] = ev
            events.append(ev)
            continue
        m = RESUMED.match(text)
        if m and pid in pending:
            # "wait4(7,  <unfinished ...>" + "<... wait4 resumed>[...]) = 7"
            ev = pending.pop(pid)
            ev.__init__(pid, ev.text + m.group("rest"))
            continue
        events.append(Event(pid, text))
    return events


def pid_names(events):
    """Tree names: P0 is the first process; children numbered in the order
    their creating calls appear in their parent's stream, breadth first."""
    order = []
    for ev in events:
        if ev.pid is not None and ev.pid not in order:
            order.append(ev.pid)
    if not order:
        return {}
    by_pid = {}
    for ev in events:
        by_pid.setdefault(ev.pid, []).append(ev)
    names = {order[0]: "P0"}
    queue = [order[0]]
    n = 1
    while queue:
        pid = queue.pop(0)
        for ev in by_pid.get(pid, []):
            if ev.name in CREATES and ev.ret and re.fullmatch(r"\d+", ev.ret):
                child = int(ev.ret)
                if child not in names:
                    names[child] = "P%d" % n
                    n += 1
                    queue.append(child)
    # tasks never seen created (lost or before the trace): by appearance
    for pid in order:
        if pid not in names:
            names[pid] = "P%d" % n
            n += 1
    return names


def _sub_clock(text, name):
    if name in ("clock_gettime", "clock_gettime64", "gettimeofday", "time"):
        text = re.sub(r"tv_sec=\d+", "tv_sec=T", text)
        text = re.sub(r"tv_(n|u)sec=\d+", r"tv_\1sec=T", text)
        if name == "time":
            text = re.sub(r"= \d+$", "= T", text)
    if name in ("adjtimex", "clock_adjtime", "clock_adjtime64"):
        # the clock read: its time, and what NTP adjusts between the runs
        text = re.sub(r"time=\{tv_sec=\d+, tv_usec=\d+\}",
                      "time={tv_sec=T, tv_usec=T}", text)
        text = re.sub(r"\b(offset|freq|maxerror|esterror)=-?\d+", r"\1=N",
                      text)
    if name in ("ppoll", "pselect6", "select", "_newselect", "ppoll_time64",
                "pselect6_time64", "recvmmsg", "recvmmsg_time64"):
        text = re.sub(r"left \{tv_sec=\d+, tv_(n|u)sec=\d+\}",
                      r"left {tv_sec=T, tv_\1sec=T}", text)
    if name in ("nanosleep", "clock_nanosleep", "clock_nanosleep_time64"):
        # the time left, printed when a sleep is interrupted
        text = re.sub(r"(\{tv_sec=\d+, tv_nsec=\d+\}\)\s*= -1 EINTR)",
                      "{tv_sec=T, tv_nsec=T}) = -1 EINTR", text)
    if name == "times":
        text = re.sub(r"(tms_c?[us]time)=\d+(?: /\* [\d.]+ s \*/)?", r"\1=T",
                      text)
        text = re.sub(r"= \d+$", "= T", text)
    if name in ("getrusage", "wait4", "waitid"):
        text = re.sub(r"(ru_[us]time)=\{tv_sec=\d+, tv_usec=\d+\}",
                      r"\1={tv_sec=T, tv_usec=T}", text)
    if name == "sysinfo":
        text = re.sub(r"(uptime|freeram|sharedram|bufferram|procs|freehigh"
                      r"|freeswap)=\d+", r"\1=N", text)
        text = re.sub(r"loads=\[\d+, \d+, \d+\]", "loads=[N, N, N]", text)
    return text


FD_INODE = re.compile(r"(?<=<)(socket|pipe|[A-Z][A-Za-z0-9/-]*):\[(\d+)"
                      r"(?=[\],]|->)")
UNIX_PEER = re.compile(r"(?<=<)(UNIX(?:-STREAM)?:\[INO\d+)->(\d+)")
ENDPOINT_PORT = re.compile(r"(\d+\.\d+\.\d+\.\d+|\[[0-9a-f:.]*\]):(\d+)"
                           r"(?=\]|->)")


def _sub_fd_details(text, inodes):
    """-y/-yy: inodes renumbered in order of first appearance (INODES
    holds the numbering of one trace), ephemeral ports of endpoints."""
    def number(n):
        return "INO%d" % inodes.setdefault(n, len(inodes) + 1)
    text = FD_INODE.sub(lambda m: "%s:[%s" % (m.group(1), number(m.group(2))),
                        text)
    text = UNIX_PEER.sub(lambda m: "%s->%s" % (m.group(1), number(m.group(2))),
                         text)
    lo, hi = PORTS
    return ENDPOINT_PORT.sub(
        lambda m: "%s:PORT" % m.group(1) if lo <= int(m.group(2)) <= hi
        else m.group(0), text)


IPC_CALLS = {"msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop",
             "semtimedop", "semtimedop_time64", "semctl", "shmget", "shmat",
             "shmdt", "shmctl"}


def _sub_ipc(text, name):
    if name.endswith("get"):
        return re.sub(r"= \d+$", "= IPCID", text)
    text = re.sub(r"^(\w+)\(\d+, ", r"\1(IPCID, ", text)
    return re.sub(r"\b(msg_[src]time|sem_[oc]time|shm_[adc]time)=\d+",
                  r"\1=T", text)


def normalize(ev, names, inodes=None):
    text = ev.text
    # pids: whole numbers equal to a traced task's id; not after a
    # backslash (an octal escape: "\377" with pid 377) or a dash
    # ("pytest-326" with pid 326), when pids have wrapped around to small
    # numbers
    alt = "|".join(sorted((str(p) for p in names if p), key=len,
                          reverse=True))
    if alt:
        text = re.sub(r"(?<![\w\\-])(%s)(?!\w)" % alt,
                      lambda m: names[int(m.group(1))], text)
    # column: the padding before " = "
    text = re.sub(r"\)\s+= ", ") = ", text)
    text = re.sub(r"^(<\.\.\. \w+ resumed>.*?)\s+= ", r"\1 = ", text)
    # addresses
    text = re.sub(r"0x[0-9a-f]{6,}", "0xADDR", text)
    # clock values
    text = _sub_clock(text, ev.name)
    text = re.sub(r"(si_[us]time)=\d+(?: /\* [\d.]+ s \*/)?", r"\1=T", text) \
        if text.startswith("--- SIGCHLD") else text
    # ports
    lo, hi = PORTS
    text = re.sub(r"htons\((\d+)\)",
                  lambda m: "htons(PORT)" if lo <= int(m.group(1)) <= hi
                  else m.group(0), text)
    text = re.sub(r'(sa_family=AF_INET, sa_data=)"(?:[^"\\]|\\[0-7]{1,3}'
                  r'|\\.){2}"', r'\1"PORT"', text)
    if inodes is not None:
        text = _sub_fd_details(text, inodes)
    # random: getrandom's bytes, in strace's all-hex form
    if ev.name == "getrandom":
        text = re.sub(r'^getrandom\("((?:\\x[0-9a-f]{2})*)"',
                      lambda m: 'getrandom("%s"' % ("\\xRR" * (len(m.group(1)) // 4)),
                      text)
    # key ids: random 31-bit serials, different in each run
    if ev.name in ("add_key", "request_key", "keyctl"):
        text = re.sub(r"(?<![\w\\-])\d{6,}(?!\w)", "KEY", text)
    # ipc: identifiers and the times of the ctl structures
    if ev.name in IPC_CALLS:
        text = _sub_ipc(text, ev.name)
    # garbage: a huge iovec count
    if ev.name in ("readv", "writev", "preadv", "pwritev") and \
            re.search(r", (\d{9,})(?:, .*)?\) = -1 E", text):
        text = re.sub(r"\{iov_base=[^,]*, iov_len=\d+\}",
                      "{iov_base=X, iov_len=N}", text)
    ev.norm = text
    return text


def load(lines):
    pairs = split(lines)
    events = join(pairs)
    names = pid_names(events)
    streams = {}
    inodes = {}
    for ev in events:
        # The text without pid names too: a number that happens to equal a
        # traced pid of one run (pids wrap to small numbers: "tv_nsec=1000"
        # with pid 1000) must not make identical lines differ.
        ev.plain = normalize(ev, {}, inodes)
        normalize(ev, names, inodes)
        streams.setdefault(names.get(ev.pid, "P?"), []).append(ev)
    return streams


class Mismatch:
    def __init__(self, proc, strace, ptrc):
        self.proc = proc
        self.strace = strace   # Event or None (a line only ptrc has)
        self.ptrc = ptrc       # Event or None (a line only strace has)
        self.allowed_by = None

    def __str__(self):
        return "%s\n  strace: %s\n  ptrc:   %s" % (
            self.proc, self.strace.norm if self.strace else "(none)",
            self.ptrc.norm if self.ptrc else "(none)")


def align(a, b):
    """Pairs (strace event or None, ptrc event or None), aligned on keys."""
    sm = difflib.SequenceMatcher(None, [e.key for e in a], [e.key for e in b],
                                 autojunk=False)
    pairs = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs.extend(zip(a[i1:i2], b[j1:j2]))
        else:
            pairs.extend((e, None) for e in a[i1:i2])
            pairs.extend((None, e) for e in b[j1:j2])
    return pairs


class Result:
    def __init__(self):
        self.total = 0        # strace lines
        self.matched = 0
        self.mismatches = []
        self.skipped = 0      # racy lines left out (both traces)

    @property
    def unexplained(self):
        return [m for m in self.mismatches if m.allowed_by is None]


def same_line(sa, pb):
    """Equal once normalized, or equal as they are (but for addresses,
    clocks...) whatever pids they hold."""
    return sa.norm == pb.norm or sa.plain == pb.plain


def compare(strace_lines, ptrc_lines, allowlist, level="full", racy=()):
    """LEVEL full: whole normalized lines; "name+ret": syscall name and
    normalized return value only (for programs nobody here wrote).
    RACY: syscall names whose count and results depend on how the
    fixture's threads are scheduled (futex between threads); their lines
    are left out of both traces and counted in Result.skipped."""
    a = load(strace_lines)
    b = load(ptrc_lines)
    res = Result()
    for streams in (a, b):
        for proc, evs in streams.items():
            kept = [e for e in evs if e.name not in racy]
            res.skipped += len(evs) - len(kept)
            streams[proc] = kept
    # A SIGCHLD's place among the parent's syscalls follows the scheduling
    # (the child may end before the parent's wait4 or during it): those
    # are compared per process as a set, not in order.
    moved = {}
    for side, streams in ((0, a), (1, b)):
        for proc, evs in streams.items():
            moved.setdefault(proc, ([], []))[side].extend(
                e for e in evs if e.key == "--- SIGCHLD")
            streams[proc] = [e for e in evs if e.key != "--- SIGCHLD"]
    for proc, (sa_list, pb_list) in sorted(moved.items(), key=lambda kv: (len(kv[0]), kv[0])):
        left = list(pb_list)
        for sa in sa_list:
            res.total += 1
            same = [pb for pb in left if (same_line(sa, pb) if level == "full"
                                          else sa.key == pb.key)]
            if same:
                left.remove(same[0])
                res.matched += 1
                continue
            m = Mismatch(proc, sa, None)
            m.allowed_by = allowlist.match(m) if allowlist else None
            res.mismatches.append(m)
        for pb in left:
            m = Mismatch(proc, None, pb)
            m.allowed_by = allowlist.match(m) if allowlist else None
            res.mismatches.append(m)
    for proc in sorted(set(a) | set(b), key=lambda p: (len(p), p)):
        for sa, pb in align(a.get(proc, []), b.get(proc, [])):
            if sa is not None:
                res.total += 1
            if sa is not None and pb is not None:
                if level == "full":
                    same = same_line(sa, pb)
                else:
                    same = sa.key == pb.key and _ret(sa) == _ret(pb)
                if same:
                    res.matched += 1
                    continue
            m = Mismatch(proc, sa, pb)
            m.allowed_by = allowlist.match(m) if allowlist else None
            res.mismatches.append(m)
    return res


def _ret(ev):
    m = re.search(r"\) = (.*)$", ev.norm or "")
    if not m:
        return ev.norm
    # the return value and errno name, without strace's comments
    return re.sub(r" \(.*$", "", m.group(1))


class Allowlist:
    """tests/differential/allowlist.txt: `[strace:|ptrc:]REGEX ;; REASON`.
    REGEX is searched in the normalized strace line of a mismatch (a
    syscall name alone matches its calls); with `ptrc:` in the normalized
    ptrc line of a line only ptrc prints."""

    def __init__(self, path):
        self.entries = []
        with open(path) as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                pattern, sep, reason = line.partition(" ;; ")
                if not sep or not reason.strip():
                    raise ValueError("%s:%d: no ' ;; reason'" % (path, n))
                side = "strace"
                if pattern.startswith("ptrc:"):
                    side, pattern = "ptrc", pattern[5:]
                elif pattern.startswith("strace:"):
                    pattern = pattern[7:]
                self.entries.append(dict(side=side, pattern=pattern.strip(),
                                         regex=re.compile(pattern.strip()),
                                         reason=reason.strip(), line=n,
                                         used=0))

    def match(self, mm):
        for e in self.entries:
            if e["side"] == "ptrc":
                ev = mm.ptrc if mm.strace is None else None
            else:
                ev = mm.strace
            if ev is None:
                continue
            if re.fullmatch(r"\w+", e["pattern"]):
                hit = ev.name == e["pattern"]
            else:
                hit = e["regex"].search(ev.norm) is not None
            if hit:
                e["used"] += 1
                return e
        return None
