"""A hostile tracee cannot crash ptrc nor make it print something
misleading or dangerous: bad addresses, unterminated strings, gigantic
counts, self-referencing structures, memory changed under the call,
thousands of threads, and escapes/NUL/newlines/invalid UTF-8 in data,
paths, argv, environment, process and thread names.

Fixtures: hostile_args, hostile_names, rel_count."""
import json
import re
import subprocess

import pytest

from conftest import M32, PTRC, fixture, ptrc, read_lines, run_traced, unprefixed
from test_syslog import Receiver, parse

RAW = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f-\xff]")


def assert_clean_text(data):
    """Nothing but printable ASCII and newlines."""
    bad = RAW.search(data)
    assert not bad, data[max(0, bad.start() - 100):bad.start() + 20]


def assert_json_lines(data):
    events = []
    for line in data.splitlines():
        events.append(json.loads(line))   # every line parses
    assert_clean_text(data)               # \u escapes, never raw bytes
    return events


def trace(tmp_path, argv, *opts, name="t.txt"):
    out = tmp_path / name
    done = ptrc("run", "-o", str(out), *opts, "--", *argv, timeout=120)
    return done, out.read_bytes()


@M32
def test_hostile_args_text(tmp_path, m32):
    done, data = trace(tmp_path, [fixture("hostile_args", m32)], "-f")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hostile_args ok\n"
    assert_clean_text(data)
    text = "\n".join(map(unprefixed, data.decode().splitlines()))
    assert re.search(r'^openat\(AT_FDCWD, NULL, O_RDONLY\)\s+= -1 EFAULT \(Bad address\)$',
                     text, re.M)
    # /dev/null's write never reads the buffer: it succeeds.
    assert re.search(r'^write\(3, NULL, 10\)\s+= 10$', text, re.M)
    assert re.search(r'^read\(3, "", 10\)\s+= 0$', text, re.M)
    assert re.search(r'^fstat\(3, 0xdeadbeef\)\s+= -1 EFAULT \(Bad address\)$', text, re.M)
    if not m32:
        assert re.search(r'^fstat\(3, 0xffffffffff600000\)\s+= -1 EFAULT', text, re.M)
        assert re.search(r'^openat\(AT_FDCWD, 0xffff800000000000, O_RDONLY\)\s+= -1 EFAULT',
                         text, re.M)
    # The escapes arrive escaped, byte for byte (-s 32 cuts the string).
    assert re.search(r'^write\(3, "\\33\]0;pwned\\7\\33\[2J\\33\[31m\\377\\376\\303\(\\342'
                     r'\\202\\n\\r\\t\\177\\2331;"\.\.\., 45\)\s+= 45$', text, re.M), text[-3000:]
    # A datagram with escapes and a NUL in it, received for real.
    assert re.search(r'recvfrom\(\d+, "\\33\]0;pwned\\7\\33\[2J\\33\[31m\\377\\376\\303'
                     r'\(\\342\\202\\n\\r\\t\\177\\2331;"\.\.\., 256, 0, NULL, NULL\)\s+= 45$',
                     text, re.M)
    # Gigantic counts: the call's own values, and the process ran on.
    assert re.search(r"^readv\(3, \[.*\], 2147483647\)\s+= -1 EINVAL", text, re.M)
    assert text.rstrip().endswith("+++ exited with 0 +++")


@pytest.mark.parametrize("opts", [["--json"], ["--json", "-v", "-s", "4096"],
                                  ["-xx", "-v", "-s", "1000", "-e", "read=all",
                                   "-e", "write=all", "-yy"]],
                         ids=["json", "json-v", "xx-dumps"])
def test_hostile_args_other_views(tmp_path, opts):
    done, data = trace(tmp_path, [fixture("hostile_args")], "-f", *opts)
    assert done.returncode == 0, done.stderr
    if "--json" in opts:
        events = assert_json_lines(data)
        nulls = [e for e in events if e.get("syscall") == "write" and
                 e["args"][1]["raw"] == "0"]
        assert nulls and all(e["args"][1]["text"] == "NULL" and e["return"] == 10
                             for e in nulls), nulls[:2]
        faults = [e for e in events if e.get("syscall") == "fstat" and
                  e.get("errno_name") == "EFAULT"]
        assert len(faults) >= 6
        assert events[-1]["type"] == "exit" and events[-1]["status"] == 0
    else:
        assert_clean_text(data)


def test_hostile_names_and_argv(tmp_path):
    done, data = trace(tmp_path, [fixture("hostile_names"), "exit"], "-f")
    assert done.returncode == 0, done.stderr
    assert_clean_text(data)
    assert (r'"exit", "\33]2;title\7\n\r\377\376\300\257\33[6n", "\n"], ' in data.decode())
    done, data = trace(tmp_path, [fixture("hostile_names"), "exit"], "-f", "--json",
                       name="t.json")
    assert done.returncode == 0, done.stderr
    events = assert_json_lines(data)
    execs = [e for e in events if e.get("syscall") == "execve"]
    assert len(execs) == 2
    assert "\\33]2;title\\7\\n\\r\\377\\376\\300\\257\\33[6n" in execs[1]["args"][1]["text"]


@pytest.mark.parametrize("json_out", [False, True], ids=["text", "json"])
def test_hostile_names_in_crash_report(tmp_path, json_out):
    """Process and thread names (prctl, pthread_setname_np) and argv full
    of escapes and newlines, in the crash report: escaped, nothing raw."""
    opts = ["--json"] if json_out else []
    done, data = trace(tmp_path, [fixture("hostile_names"), "crash"], "--crash", *opts)
    assert done.returncode == 128 + 11, done.stderr
    assert data
    if json_out:
        events = assert_json_lines(data)
        assert events
    else:
        assert_clean_text(data)
        assert "SIGSEGV" in data.decode()


@pytest.mark.parametrize("json_out", [False, True], ids=["text", "json"])
def test_hostile_names_in_stack_snapshot(tmp_path, background, json_out):
    fx = background([fixture("hostile_names"), "wait"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE)
    line = fx.proc.stdout.readline()
    assert line == b"%d ready\n" % fx.pid
    done = subprocess.run([PTRC, "stack", *(["--json"] if json_out else []),
                           str(fx.pid)], capture_output=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout
    if json_out:
        assert_json_lines(done.stdout)
    else:
        assert_clean_text(done.stdout)
    assert_clean_text(done.stderr)
    fx.proc.stdin.close()
    assert fx.proc.wait(timeout=10) == 0


def test_hostile_output_in_syslog_stays_single_lines(tmp_path):
    rcv = Receiver(tmp_path / "log")
    try:
        done = ptrc("run", "-f", "--syslog", "--syslog-socket=" + rcv.path,
                    "--", fixture("hostile_names"), "exit")
    finally:
        rcv.close()
    assert done.returncode == 0, done.stderr
    parse(rcv.messages)
    assert len(rcv.messages) > 20
    for m in rcv.messages:
        assert not RAW.search(m) and b"\n" not in m, m


def test_thousands_of_threads(tmp_path):
    """3 processes x 1000 threads that start, call getppid() twice and
    exit: every JSON line parses, every thread is seen."""
    done, data = trace(tmp_path, [fixture("rel_count"), "1000", "2", "3"], "-f",
                       "--json")
    assert done.returncode == 0, done.stderr
    events = assert_json_lines(data)
    tids = {e["tid"] for e in events if e.get("syscall") == "getppid"}
    assert len(tids) == 3003
    exits = [e for e in events if e["type"] == "exit"]
    assert len(exits) >= 3000


# --- regressions of tests/fuzz findings ---

@pytest.mark.parametrize("regex", [
    "/i++++++++++++++++++++++++++",          # fuzz_options: 2 GB in regcomp
    "/f|i+++++++++++++++++++++++++",
    "/((a{99}){99}){99}",
    "/x{9999}",
])
def test_fuzz_regression_regex_blowup_refused(regex):
    """-e trace=/REGEX with stacked or nested repetitions: glibc's regcomp
    copies the tree for each, exponentially. Refused at once as invalid."""
    done = ptrc("run", "-e", "trace=" + regex, "--", "true", timeout=10)
    assert done.returncode == 64, done.stderr
    assert "invalid system call or class" in done.stderr


def test_fuzz_regression_reasonable_regexes_still_work(tmp_path):
    done, lines = run_traced(tmp_path, ["true"], "-e", "trace=/^(read|write|exit.*)+$",
                             "-e", "trace=/^e[a-z]{5}$")  # execve; strace 6.1
    # refuses a regex that matches nothing ({4} did)
    assert done.returncode == 0, done.stderr
