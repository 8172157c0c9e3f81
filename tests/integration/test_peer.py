"""--peer LIST: only the lines of the sessions whose remote end is listed
(src/modes/trace_peer.c, the trace mode's gate). fx_peers serves one TCP
client after another from 127.0.0.1, 127.0.0.2 (and ::1); the oracle is
ptrc's own unfiltered trace of the same program (itself compared with
strace 6.1 by the differential test): --peer must give exactly the
session's slice of it, from the accept to the close, nothing else."""
import re
import subprocess

import pytest

from conftest import PTRC, fixture, ptrc, read_lines, run_traced, wait_for

PORTS = re.compile(r"htons\(\d+\)")


def normal(lines):
    """Ports and pids differ from run to run."""
    return [PORTS.sub("htons(PORT)", l) for l in lines]


def sessions(lines):
    """The server's sessions in an unfiltered trace: each from its accept
    to the close of the descriptor accept returned, keyed by the client
    number the data names ("hello N")."""
    found, current, fd = {}, None, None
    for line in lines:
        m = re.match(r"accept\(.*\) += (\d+)$", line)
        if m:
            current, fd = [], m.group(1)
        if current is None:
            continue
        if not line.startswith("---"):  # a signal's timing is its own
            current.append(line)
        if re.match(r"close\(%s\) += 0$" % fd, line):
            n = re.search(r'"hello (\d)\\n"', "\n".join(current)).group(1)
            found[int(n)] = current
            current = None
    return found


@pytest.fixture(scope="module")
def unfiltered(tmp_path_factory):
    """Each mode's unfiltered trace, split into sessions."""
    result = {}
    for mode in ("4", "6"):
        tmp = tmp_path_factory.mktemp("all" + mode)
        done, lines = run_traced(tmp, [fixture("fx_peers"), mode])
        assert done.returncode == 0, done.stderr
        result[mode] = sessions(lines)
        assert sorted(result[mode]) == ([1, 2] if mode == "4" else [1, 2, 3])
    return result


@pytest.mark.parametrize("mode,peers,wanted", [
    ("4", "127.0.0.2", [2]),
    ("4", "127.0.0.1", [1]),
    ("4", "127.0.0.2/32", [2]),
    ("4", "127.0.0.0/30", [1, 2]),
    ("4", "127.0.0.0/31", [1]),
    ("4", "192.0.2.1, 127.0.0.2", [2]),
    ("4", "192.0.2.0/24", []),
    ("4", "::ffff:127.0.0.2", [2]),
    # a dual-stack listener's IPv4 clients are ::ffff:127.0.0.x
    ("6", "127.0.0.2", [2]),
    ("6", "[::1]", [3]),
    ("6", "::1/128", [3]),
    ("6", "[::]/0", [3]),
    ("6", "[::]/0 127.0.0.1", [1, 3]),
    ("6", "0.0.0.0/0", [1, 2]),
])
def test_only_the_matching_sessions(tmp_path, unfiltered, mode, peers, wanted):
    done, lines = run_traced(tmp_path, [fixture("fx_peers"), mode],
                             "--peer", peers)
    assert done.returncode == 0, done.stderr
    expected = [l for n in wanted for l in unfiltered[mode][n]]
    assert normal([l for l in lines if not l.startswith("---")]) == \
        normal(expected)
    for n in set(unfiltered[mode]) - set(wanted):
        assert '"hello %d\\n"' % n not in "\n".join(lines)


def test_a_name_is_resolved_at_start(tmp_path, unfiltered):
    """localhost: 127.0.0.1 (and ::1), not 127.0.0.2."""
    done, lines = run_traced(tmp_path, [fixture("fx_peers"), "4"],
                             "--peer", "localhost")
    assert done.returncode == 0, done.stderr
    assert normal(lines) == normal(unfiltered["4"][1])


def test_children_with_f(tmp_path):
    """-f: a client's own connection matches by its remote end, the
    server's address; the server's sessions by the client's."""
    done, lines = run_traced(tmp_path, [fixture("fx_peers"), "4"],
                             "-f", "--peer", "127.0.0.2")
    assert done.returncode == 0, done.stderr
    text = "\n".join(lines)
    assert '"hello 2\\n"' in text and '"hello 1\\n"' not in text
    # the server's session only (the clients talk to 127.0.0.1)
    assert not re.search(r"\bconnect\(", text)
    done, lines = run_traced(tmp_path, [fixture("fx_peers"), "4"],
                             "-f", "--peer", "127.0.0.1")
    text = "\n".join(lines)
    assert len(re.findall(r"\bconnect\(4, .*\) += 0", text)) == 2
    # the server's read of the first session; not its second session
    assert text.count('"hello 1\\n", 64) ') == 1
    assert '"hello 2\\n", 64) ' not in text


def test_with_library_calls(tmp_path):
    """-l alone: the syscalls stop for --peer to follow the sessions, and
    only the session's library calls print."""
    done, lines = run_traced(tmp_path, [fixture("fx_peers"), "4"],
                             "--peer", "127.0.0.2", "-l", "write")
    assert done.returncode == 0, done.stderr
    assert lines == ['write@libc.so.6(4, "reply 2\\n", 8)      = 8']


def start_waiting(background):
    fx = background([fixture("fx_peers"), "4", "wait"],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert fx.proc.stdout.readline() == "ready\n"
    return fx


@pytest.mark.parametrize("how", ["attach", "background"])
def test_attach(tmp_path, unfiltered, background, how):
    fx = start_waiting(background)
    out = tmp_path / "trace.txt"
    argv = [PTRC, "attach", "-o", str(out), "--peer", "127.0.0.2"]
    if how == "background":
        done = subprocess.run(argv + ["--background", str(fx.pid)],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
    else:
        tracer = background(argv + [str(fx.pid)], stderr=subprocess.PIPE,
                            text=True)
        assert wait_for(lambda: open("/proc/%d/status" % fx.pid).read()
                        .find("TracerPid:\t%d\n" % tracer.pid) >= 0)
    fx.proc.stdin.write("go\n")
    fx.proc.stdin.flush()
    assert fx.proc.wait(timeout=60) == 0
    if how == "attach":
        assert tracer.proc.wait(timeout=60) == 0
    assert wait_for(lambda: read_lines(out)[-1:] ==
                    [unfiltered["4"][2][-1]], timeout=30), read_lines(out)
    assert normal(read_lines(out)) == normal(unfiltered["4"][2])


@pytest.mark.parametrize("entry,status,message", [
    ("10.0.0.0/33", 64, "bad network '10.0.0.0/33'"),
    ("10.0.0.1/8", 64, "bad network '10.0.0.1/8'"),
    ("[::1", 64, "bad address '[::1'"),
    ("name.invalid", 64, "cannot resolve 'name.invalid'"),
    ("", 64, "no address or name"),
    ("!10.0.0.1", 69, "'!10.0.0.1' is not implemented"),
    ("hash:/etc/postfix/peers", 69, "is not implemented"),
    ("/etc/postfix/peers", 69, "is not implemented"),
])
def test_bad_entries_are_refused(entry, status, message):
    done = ptrc("run", "--peer", entry, "--", "true")
    assert done.returncode == status
    assert message in done.stderr and done.stderr.count("\n") == 1, done.stderr


def test_not_for_crash_or_stack():
    done = ptrc("attach", "--crash", "--peer", "127.0.0.1", "1")
    assert done.returncode == 64 and done.stderr.count("\n") == 1
    done = ptrc("stack", "--peer", "127.0.0.1", "1")
    assert done.returncode == 64 and done.stderr.count("\n") == 1
