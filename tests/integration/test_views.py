"""The trace's filters and views: -e trace= classes, negation and regex,
-e status=, -z/-Z, -e signal=, -P, -y/-yy, -e read=/write= dumps, and the
-c/-C summary."""
import os
import re
import signal
import shutil
import socket
import subprocess

import pytest

from conftest import (PTRC, alive, fixture, read_lines, run_traced,
                      start_attach, syscalls, tracer_of, wait_for)


def names(lines):
    return {c["name"] for c in syscalls(lines)}


def test_trace_classes_negation_and_regex(tmp_path):
    cat = ["cat", "/etc/hostname"]
    _, lines = run_traced(tmp_path, cat, "-e", "trace=%file")
    assert "openat" in names(lines) and "read" not in names(lines)
    assert "mmap" not in names(lines)
    _, lines = run_traced(tmp_path, cat, "-e", "trace=%memory")
    assert names(lines) <= {"mmap", "munmap", "mprotect", "brk", "madvise"}
    assert {"mmap", "brk"} <= names(lines)
    _, lines = run_traced(tmp_path, cat, "-e", "trace=!%memory,%file")
    assert not names(lines) & {"mmap", "brk", "openat", "access"}
    assert "read" in names(lines)
    _, lines = run_traced(tmp_path, cat, "-e", "trace=/^(read|close)$")
    assert names(lines) == {"read", "close"}
    done = subprocess.run([PTRC, "run", "-e", "trace=%nosuchclass", "--", "true"],
                          capture_output=True, text=True)
    assert done.returncode == 64 and len(done.stderr.splitlines()) == 1


def test_status_filters(tmp_path):
    prog = fixture("fx_basic")
    _, failed = run_traced(tmp_path, [prog, "0", str(tmp_path)], "-Z")
    calls = syscalls(failed)
    assert calls and all(c["ret"].startswith("-1 ") for c in calls)
    assert any('"/nonexistent/ptrc-fixture"' in c["args"] for c in calls)
    _, ok = run_traced(tmp_path, [prog, "0", str(tmp_path)], "-z")
    calls = syscalls(ok)
    assert calls and not any(c["ret"].startswith("-1 ") for c in calls)
    _, both = run_traced(tmp_path, [prog, "0", str(tmp_path)],
                         "-e", "status=successful,failed")
    assert len(syscalls(both)) == len(syscalls(ok)) + len(syscalls(failed))


def test_signal_filter(tmp_path):
    prog = fixture("fx_signal")
    _, lines = run_traced(tmp_path, [prog, "all", str(tmp_path)], "-f")
    assert any("--- SIGUSR1 " in l for l in lines)
    _, lines = run_traced(tmp_path, [prog, "all", str(tmp_path)], "-f",
                          "-e", "signal=!SIGUSR1")
    assert not any("--- SIGUSR1 " in l for l in lines)
    assert any("--- SIGCHLD " in l for l in lines)


def test_path_filter_and_fd_paths(tmp_path):
    target = tmp_path / "data.txt"
    target.write_text("some data\n")
    _, lines = run_traced(tmp_path, ["cat", str(target)], "-P", str(target))
    calls = syscalls(lines)
    assert {"openat", "read", "close"} <= {c["name"] for c in calls}
    assert all(str(target) in c["args"] or c["args"].startswith("3") for c in calls)
    assert not any("ld.so.cache" in l for l in lines)
    _, lines = run_traced(tmp_path, ["cat", str(target)], "-y", "-e",
                          "trace=openat,read")
    opened = [c for c in syscalls(lines, "openat") if str(target) in c["args"]]
    assert opened[0]["ret"] == "3<%s>" % target
    reads = [c for c in syscalls(lines, "read")
             if c["args"].startswith("3<%s>" % target)]
    assert reads[0]["args"] == '3<%s>, "some data\\n", 131072' % target


def test_socket_endpoints(tmp_path, background):
    daemon = background([fixture("demo_daemon")], stdout=subprocess.PIPE, text=True)
    port = int(daemon.proc.stdout.readline())
    # --background returns once the daemon's thread has had its first
    # stop: connecting before that, the accept could complete between the
    # seize and the interrupt, untraced (TracerPid is set at the seize).
    out = tmp_path / "attach.txt"
    done = subprocess.run([PTRC, "attach", "--background", "-o", str(out),
                           "-yy", str(daemon.pid)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    tracer = tracer_of(daemon.pid)
    assert tracer
    with socket.create_connection(("127.0.0.1", port)) as c:
        banner = c.recv(100)
        c.sendall(b"QUIT\r\n")
        c.recv(100)
        local = c.getsockname()[1]
    assert banner.startswith(b"220 ")
    assert wait_for(lambda: "close(" in out.read_text())
    os.kill(tracer, signal.SIGINT)
    assert wait_for(lambda: not alive(tracer), timeout=10)  # all written
    lines = read_lines(out)
    accepted = syscalls(lines, "accept")
    conn = "TCP:[127.0.0.1:%d->127.0.0.1:%d]" % (port, local)
    assert accepted[0]["args"].startswith("3<TCP:[127.0.0.1:%d]>, " % port)
    assert accepted[0]["ret"] == "4<%s>" % conn
    assert any(c["args"].startswith("4<%s>, \"220 " % conn)
               for c in syscalls(lines, "write"))


UNIX_CALLS = "trace=socketpair,bind,connect,accept,write"


def unix_lines(lines):
    """The fixture's AF_UNIX lines, with inodes numbered in order of first
    appearance and the pid in the abstract name dropped: the same program
    traced twice must then print the same text."""
    order = {}

    def number(m):
        return "#%d" % order.setdefault(m.group(0), len(order))
    out = []
    for line in lines:
        if "UNIX" not in line or line.startswith("+++"):
            continue
        line = re.sub(r"(?<=:\[)\d+|(?<=->)\d+", number, line)
        out.append(re.sub(r"ptrc-fx-unix-\d+", "ptrc-fx-unix-PID", line))
    return out


def sock_diag_available():
    try:
        socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 4).close()  # NETLINK_SOCK_DIAG
    except OSError:
        return False
    return True


@pytest.mark.skipif(not sock_diag_available(), reason="no NETLINK_SOCK_DIAG")
def test_unix_socket_peers(tmp_path):
    """-yy on AF_UNIX stream sockets: socketpair, a named and an abstract
    listener. Each end shows its peer's inode, as /proc/PID/fd of the
    fixture itself says; the accepted ends show the listener's name."""
    done, lines = run_traced(tmp_path, [fixture("fx_unix"), str(tmp_path)],
                             "-yy", "-e", UNIX_CALLS)
    assert done.returncode == 0, done.stderr
    ends = {}
    for row in done.stdout.split("\n"):
        if row:
            label, fd, inode = row.split()
            ends[label] = (int(fd), int(inode))
    # Patterns of the name part: only accepted ends are bound.
    path = re.escape(',"%s/fx-unix.sock"' % tmp_path)
    abstract = r',@"ptrc-fx-unix-\d+"'
    writes = [c["args"] for c in syscalls(lines, "write")]
    for a, b, name in (("pair0", "pair1", ""), ("pair1", "pair0", ""),
                       ("named_client", "named_server", ""),
                       ("named_server", "named_client", path),
                       ("abstract_client", "abstract_server", ""),
                       ("abstract_server", "abstract_client", abstract)):
        fd, inode = ends[a]
        # "UNIX-STREAM" where the kernel names the protocol so.
        want = r"%d<UNIX(-STREAM)?:\[%d->%d%s\]>, " % (fd, inode, ends[b][1], name)
        assert any(re.match(want, w) for w in writes), (want, writes)
    pair = syscalls(lines, "socketpair")[0]["args"]
    assert "[%d<UNIX" % ends["pair0"][0] in pair


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
@pytest.mark.skipif(not sock_diag_available(), reason="no NETLINK_SOCK_DIAG")
def test_unix_socket_peers_match_strace(tmp_path):
    argv = [fixture("fx_unix"), str(tmp_path)]
    theirs = tmp_path / "strace.txt"
    subprocess.run([shutil.which("strace"), "-yy", "-e", UNIX_CALLS, "-o",
                    str(theirs), *argv], check=True, capture_output=True,
                   timeout=60)
    done, lines = run_traced(tmp_path, argv, "-yy", "-e", UNIX_CALLS)
    assert done.returncode == 0, done.stderr
    ours = unix_lines(lines)
    assert len(ours) >= 13 and any("->" in l for l in ours), ours
    assert ours == unix_lines(read_lines(theirs))


def can_unshare_net():
    unshare = shutil.which("unshare")
    return unshare is not None and subprocess.run(
        [unshare, "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not can_unshare_net(), reason="cannot unshare -n")
def test_unix_socket_other_netns(tmp_path):
    """A tracee in another network namespace: sock_diag from ptrc's would
    not see its sockets; the names still come from /proc/PID/net/unix,
    without peers."""
    done, lines = run_traced(tmp_path, [shutil.which("unshare"), "-n",
                                        fixture("fx_unix"), str(tmp_path)],
                             "-yy", "-e", UNIX_CALLS)
    assert done.returncode == 0, done.stderr
    ends = dict((row.split()[0], row.split()[1:]) for row in done.stdout.splitlines())
    fd, inode = ends["named_server"]
    want = '%s<UNIX-STREAM:[%s,"%s/fx-unix.sock"]>, ' % (fd, inode, tmp_path)
    writes = [c["args"] for c in syscalls(lines, "write")]
    assert any(w.startswith(want) or w.startswith(want.replace("-STREAM", ""))
               for w in writes), (want, writes)
    assert not any("->" in w for w in writes if "UNIX" in w)


def test_data_dumps(tmp_path):
    _, lines = run_traced(tmp_path, ["printf", "hello world, this is a longer line\\n\\001\\377"],
                          "-e", "trace=write", "-e", "write=1")
    dump = [l for l in lines if l.startswith(" | ")]
    assert dump == [
        " | 00000  68 65 6c 6c 6f 20 77 6f  72 6c 64 2c 20 74 68 69  hello world, thi |",
        " | 00010  73 20 69 73 20 61 20 6c  6f 6e 67 65 72 20 6c 69  s is a longer li |",
        " | 00020  6e 65 0a 01 ff                                    ne...            |",
    ]
    _, lines = run_traced(tmp_path, ["printf", "x"], "-e", "trace=write", "-e", "write=2")
    assert not any(l.startswith(" | ") for l in lines)


@pytest.mark.parametrize("fds", ["all", "!3"])
def test_data_dumps_reach_high_descriptors(tmp_path, fds):
    """`all` and a negated list take every descriptor, as strace's do, not
    only those a list can name (0..1023)."""
    prog = "import os; os.dup2(1, 1500); os.write(1500, b'high')"
    _, lines = run_traced(tmp_path, ["python3", "-c", prog],
                          "-e", "trace=write", "-e", "write=" + fds)
    at = next(i for i, l in enumerate(lines) if l.startswith("write(1500, "))
    assert lines[at + 1].startswith(" | 00000  68 69 67 68 "), lines[at:at + 2]


def test_summary(tmp_path):
    prog = fixture("fx_basic")
    done, lines = run_traced(tmp_path, [prog, "0", str(tmp_path)], "-c")
    assert done.returncode == 0
    assert syscalls(lines) == []
    assert lines[0].split() == ["%", "time", "seconds", "usecs/call", "calls",
                                "errors", "syscall"]
    rows = {l.split()[-1]: l.split() for l in lines[2:] if not l.startswith("---")}
    total = rows.pop("total")
    assert int(total[3]) == sum(int(r[3]) for r in rows.values())
    assert rows["openat"][4] == "1" or int(rows["openat"][4]) >= 1  # ENOENT
    assert rows["write"][3] == "2"
    # -C: the trace and then the table; -S calls sorts by calls
    _, lines = run_traced(tmp_path, [prog, "0", str(tmp_path)], "-C", "-S", "calls")
    assert syscalls(lines)
    start = next(i for i, l in enumerate(lines) if l.startswith("% time"))
    calls = [int(l.split()[3]) for l in lines[start + 2:]
             if not l.startswith("---") and not l.endswith(" total")]
    assert calls == sorted(calls, reverse=True)
