"""ptrc against strace as an oracle.

Each fixture of tests/differential/corpus.txt runs under `strace -f -o A`
and `ptrc run -f -o B` (same environment, same directory), natively and as
its -m32 build. tests/differential/strace_diff.py normalizes what
legitimately differs between two runs (pids, addresses, clock values,
ephemeral ports), aligns each process's lines on syscall names and
compares them whole. A test fails on any mismatch that no entry of
tests/differential/allowlist.txt explains.

Real programs nobody here wrote (ls, tar, python3 with loopback sockets)
are compared on syscall names and return values only.

Match counts are printed (pytest -s) and written to
$PTRC_BUILD/differential-summary.txt, one line a run.
"""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import BUILD, PTRC, fixture, i386

HERE = os.path.dirname(os.path.abspath(__file__))
DIFF_DIR = os.path.join(HERE, "..", "differential")
sys.path.insert(0, DIFF_DIR)
import strace_diff  # noqa: E402

STRACE = shutil.which("strace")
SUMMARY = os.path.join(BUILD, "differential-summary.txt")
ALLOWLIST = os.path.join(DIFF_DIR, "allowlist.txt")

pytestmark = pytest.mark.skipif(
    STRACE is None, reason="strace is not installed (tools/install-deps)")


def corpus():
    """(argv template, racy syscall names, tracer options) per line of
    corpus.txt; KNOWN_I386 maps the lines marked i386:known to the
    comment that says why their i386 run is a known failure."""
    entries = []
    with open(os.path.join(DIFF_DIR, "corpus.txt")) as f:
        for line in f:
            text, _, comment = line.partition("#")
            words = text.split()
            if words:
                racy = [w[5:] for w in words if w.startswith("racy:")]
                opts = [w[4:] for w in words if w.startswith("opt:")]
                argv = [w for w in words
                        if not w.startswith(("racy:", "opt:", "i386:"))]
                entries.append((argv, set(",".join(racy).split(",")) - {""},
                                opts))
                if "i386:known" in words:
                    KNOWN_I386[" ".join(argv + opts)] = comment.strip()
    return entries


KNOWN_I386 = {}


CORPUS = corpus()


@pytest.fixture(scope="module")
def allowlist():
    return strace_diff.Allowlist(ALLOWLIST)


@pytest.fixture(scope="module", autouse=True)
def fresh_summary():
    """The summary holds this run's lines only."""
    if os.path.exists(SUMMARY):
        os.unlink(SUMMARY)


def report(line):
    print("\n" + line)
    with open(SUMMARY, "a") as f:
        f.write(line + "\n")


def run_both(tmp_path, argv, opts=(), timeout=120):
    """The same command under strace and under ptrc, both given the tracer
    options OPTS; returns both traces' lines. The program's own output goes
    to /dev/null in both runs."""
    env = dict(os.environ, TMPDIR=str(tmp_path))
    traces = {}
    for tool, prefix in (("strace", [STRACE, "-f", "-o"]),
                         ("ptrc", [PTRC, "run", "-f", "-o"])):
        out = tmp_path / ("trace.%s" % tool)
        done = subprocess.run(prefix + [str(out)] + list(opts) + ["--"]
                              + argv,
                              stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True,
                              errors="replace", env=env, cwd=str(tmp_path),
                              timeout=timeout)
        assert done.returncode == 0, "%s: %s exited %d: %s" % (
            tool, argv, done.returncode, done.stderr)
        traces[tool] = out.read_text(errors="replace").splitlines()
    return traces["strace"], traces["ptrc"]


def explain(result, limit=40):
    lines = [str(m) for m in result.unexplained[:limit]]
    more = len(result.unexplained) - limit
    if more > 0:
        lines.append("... and %d more" % more)
    return "\n".join(lines)


@pytest.mark.parametrize("m32", [False, i386(True)], ids=["native", "i386"])
@pytest.mark.parametrize("entry", CORPUS,
                         ids=[" ".join(e[0][:2] + e[2]) for e in CORPUS])
def test_fixture_matches_strace(tmp_path, allowlist, entry, m32):
    words, racy, opts = entry
    known = KNOWN_I386.get(" ".join(words + opts))
    if m32 and known is not None:
        pytest.xfail("known: " + known)
    program = fixture(words[0], m32)
    argv = [program] + [a.replace("{tmp}", str(tmp_path)) for a in words[1:]]
    a, b = run_both(tmp_path, argv, opts)
    result = strace_diff.compare(a, b, allowlist, racy=racy)
    allowed = len(result.mismatches) - len(result.unexplained)
    report("%-28s %-6s %4d/%-4d lines match (%d allowed, %d unexplained%s)" % (
        " ".join(words + opts), "i386" if m32 else "native", result.matched,
        result.total, allowed, len(result.unexplained),
        ", %d racy %s lines left out" % (result.skipped, "/".join(sorted(racy)))
        if racy else ""))
    assert result.total > 10, "strace saw almost nothing: %r" % a
    assert not result.unexplained, \
        "lines differing from strace (normalized; allow-list in %s):\n%s" % (
            ALLOWLIST, explain(result))


def python_sockets():
    """A TCP server and client on loopback, in two threads."""
    return ["python3", "-c", r"""
import socket, threading
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(1)
port = srv.getsockname()[1]
def serve():
    conn, _ = srv.accept()
    data = conn.recv(64)
    conn.sendall(data.upper())
    conn.close()
t = threading.Thread(target=serve)
t.start()
c = socket.create_connection(("127.0.0.1", port))
c.sendall(b"hello over loopback")
assert c.recv(64) == b"HELLO OVER LOOPBACK"
c.close()
t.join()
srv.close()
"""]


REAL_PROGRAMS = {
    "ls": ["ls", "-la", "/etc"],
    "tar": ["tar", "cf", "/dev/null", "/usr/include/linux"],
    "python3-sockets": python_sockets(),
}

# The share of strace's lines whose syscall name and return value ptrc
# matches, after normalization. Not 100%: these programs are nobody's
# fixtures, and some of their lines legitimately differ between two runs
# (python's threads meet on futexes a varying number of times, a read's
# size may follow what another thread did first); a real decoding or
# engine difference (a missed syscall, a wrong return value, a lost
# thread) shows up as whole runs of misses and falls far below this.
REAL_THRESHOLD = 0.95


@pytest.mark.parametrize("name", sorted(REAL_PROGRAMS))
def test_real_program_matches_strace(tmp_path, allowlist, name):
    argv = REAL_PROGRAMS[name]
    if shutil.which(argv[0]) is None or (
            name == "tar" and not os.path.isdir(argv[3])):
        pytest.skip("%s not available" % argv[0])
    a, b = run_both(tmp_path, argv)
    result = strace_diff.compare(a, b, None, level="name+ret")
    share = result.matched / max(result.total, 1)
    report("%-28s %-6s %4d/%-4d name+return match (%.1f%%)" % (
        name, "native", result.matched, result.total, 100 * share))
    assert result.total > 20
    assert share >= REAL_THRESHOLD, \
        "only %.1f%% of lines match on name and return value:\n%s" % (
            100 * share, "\n".join(str(m) for m in result.mismatches[:40]))
