"""ptrc attach --tree PID: PID and every process below it as it stands (a
Postfix master and its running daemons), each line saying which process
it came from; with -f the ones started later too; a descendant another
tracer holds is left out with a message; Ctrl-C leaves every one running."""
import os
import re
import signal
import subprocess
import sys

from conftest import PTRC, tracer_of, wait_for

# A process tree: root -> (a -> a1), b. Every node writes "tick NAME" to
# /dev/null every 10 ms, says "NAME PID" on stdout once running, and ends
# when the file STOP exists (or after 60 s). With argument "spawn", root
# forks one more node, "late", once it reads a line on stdin.
TREE = r"""
import os, sys, time
stop = sys.argv[1]
def node(name, kids):
    for kid in kids:
        if os.fork() == 0:
            node(*kid)
            os._exit(0)
    fd = os.open("/dev/null", os.O_WRONLY)
    os.write(1, ("%s %d\n" % (name, os.getpid())).encode())
    if name == "root" and len(sys.argv) > 2:
        sys.stdin.readline()
        if os.fork() == 0:
            node("late", [])
            os._exit(0)
    deadline = time.monotonic() + 60
    while not os.path.exists(stop) and time.monotonic() < deadline:
        os.write(fd, b"tick " + name.encode())
        time.sleep(0.01)
    for _ in kids:
        os.wait()
node("root", [("a", [("a1", [])]), ("b", [])])
"""

PREFIX = re.compile(r"^(?:\[pid +(\d+)\] |(\d+) +)")


def start_tree(background, tmp_path, *extra):
    stop = tmp_path / "stop"
    proc = background([sys.executable, "-c", TREE, str(stop), *extra],
                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    pids = {}
    while len(pids) < 4:
        name, pid = proc.proc.stdout.readline().split()
        pids[name] = int(pid)
    return proc, pids, stop


def text_of(path):
    try:
        return path.read_text(errors="replace")
    except FileNotFoundError:
        return ""


def ticks_by_pid(text):
    """{pid: {node names whose ticks the trace shows from that pid}}."""
    found = {}
    for line in text.splitlines():
        m = PREFIX.match(line)
        pid = int(m.group(1) or m.group(2)) if m else None
        t = re.search(r'write\(\d+, "tick (\w+)", \d+\)', line)
        if t:
            found.setdefault(pid, set()).add(t.group(1))
    return found


def test_tree_traces_every_process_below(tmp_path, background):
    tree, pids, stop = start_tree(background, tmp_path)
    out = tmp_path / "trace.txt"
    tracer = background([PTRC, "attach", "--tree", "-o", str(out),
                         str(pids["root"])],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: all(tracer_of(p) == tracer.pid for p in pids.values())), \
        {n: tracer_of(p) for n, p in pids.items()}
    # Each process's ticks, attributed to that process.
    assert wait_for(lambda: all(
        ticks_by_pid(text_of(out)).get(pid) == {name}
        for name, pid in pids.items())), ticks_by_pid(text_of(out))
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=10) == 0, tracer.proc.stderr.read()
    assert tracer.proc.stderr.read() == ""
    for name, pid in pids.items():
        assert tracer_of(pid) == 0, name
    stop.write_text("")
    assert tree.proc.wait(timeout=20) == 0


def test_without_tree_only_the_named_process(tmp_path, background):
    tree, pids, stop = start_tree(background, tmp_path)
    out = tmp_path / "trace.txt"
    tracer = background([PTRC, "attach", "-o", str(out), str(pids["root"])],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: "tick root" in text_of(out))
    assert [tracer_of(pids[n]) for n in ("a", "a1", "b")] == [0, 0, 0]
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=10) == 0
    stop.write_text("")


def test_tree_with_f_follows_later_processes(tmp_path, background):
    tree, pids, stop = start_tree(background, tmp_path, "spawn")
    out = tmp_path / "trace.txt"
    tracer = background([PTRC, "attach", "--tree", "-f", "-o", str(out),
                         str(pids["root"])],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: all(tracer_of(p) == tracer.pid for p in pids.values()))
    tree.proc.stdin.write("go\n")
    tree.proc.stdin.flush()
    name, late = tree.proc.stdout.readline().split()
    assert name == "late"
    assert wait_for(lambda: ticks_by_pid(text_of(out)).get(int(late)) == {"late"}), \
        ticks_by_pid(text_of(out))
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=10) == 0, tracer.proc.stderr.read()
    assert tracer_of(int(late)) == 0
    stop.write_text("")


def test_a_descendant_traced_by_another_is_left_out(tmp_path, background):
    tree, pids, stop = start_tree(background, tmp_path)
    other = background([PTRC, "attach", "-o", os.devnull, str(pids["a"])],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: tracer_of(pids["a"]) == other.pid)
    out = tmp_path / "trace.txt"
    tracer = background([PTRC, "attach", "--tree", "-o", str(out),
                         str(pids["root"])],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The others, a's child included, are traced; a stays the other's.
    assert wait_for(lambda: all(tracer_of(pids[n]) == tracer.pid
                                for n in ("root", "a1", "b")))
    assert tracer_of(pids["a"]) == other.pid
    tracer.proc.send_signal(signal.SIGINT)
    assert tracer.proc.wait(timeout=10) == 0
    err = tracer.proc.stderr.read()
    assert str(pids["a"]) in err and len(err.strip().splitlines()) == 1, err
    other.proc.send_signal(signal.SIGINT)
    assert other.proc.wait(timeout=10) == 0
    stop.write_text("")


def test_tree_crash_reports_a_descendant(tmp_path, background):
    tree, pids, stop = start_tree(background, tmp_path)
    out = tmp_path / "crash.txt"
    tracer = background([PTRC, "attach", "--tree", "--crash", "-o", str(out),
                         str(pids["root"])],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: all(tracer_of(p) == tracer.pid for p in pids.values()))
    os.kill(pids["a1"], signal.SIGSEGV)
    assert wait_for(lambda: "=== end of crash report ===" in text_of(out)), \
        text_of(out)
    text = text_of(out)
    assert re.search(r"^ +PID: %d \(python3?[^)]*\), crashed thread %d$"
                     % (pids["a1"], pids["a1"]), text, re.M), text
    stop.write_text("")
    assert tree.proc.wait(timeout=20) == 0
    assert tracer.proc.wait(timeout=20) == 0, tracer.proc.stderr.read()
    text = text_of(out)
    for name in ("root", "a", "b"):
        assert "process %d exited with status 0 (no crash)" % pids[name] in text, text


def test_tree_is_for_attach():
    done = subprocess.run([PTRC, "run", "--tree", "true"], capture_output=True,
                          text=True)
    assert done.returncode == 64
    assert done.stderr == "ptrc: --tree is for attach (see ptrc --help)\n"
