"""-o 'DIR/%n.%p' with attach --tree or -f: one file per process, named
after its program and pid (src/modes/trace_files.c): the process attached
to writes the file opened at start, each other one its own, renamed after
its program at execve."""
import os
import re
import subprocess

from conftest import PTRC, read_lines, wait_for


def files(directory):
    return sorted(os.listdir(directory))


def test_f_gives_each_child_its_file(tmp_path, background):
    out = tmp_path / "out"
    out.mkdir()
    sh = background(["sh", "-c", "read x; /bin/echo hi >/dev/null; "
                     "/bin/true; exit 3"], stdin=subprocess.PIPE, text=True)
    tracer = background([PTRC, "attach", "-f", "-o", str(out / "%n.%p"),
                         str(sh.pid)], stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: ("TracerPid:\t%d\n" % tracer.pid) in
                    open("/proc/%d/status" % sh.pid).read())
    sh.proc.stdin.write("go\n")
    sh.proc.stdin.flush()
    assert sh.proc.wait(timeout=60) == 3
    assert tracer.proc.wait(timeout=60) == 0, tracer.proc.stderr.read()
    names = files(out)
    children = [n for n in names if not n.startswith("sh.")]
    assert "sh.%d" % sh.pid in names, names
    # each child forked as "sh", renamed at its execve
    assert {n.split(".")[0] for n in children} == {"echo", "true"}, names
    for name in children:
        pid = int(name.split(".")[1])
        lines = read_lines(out / name)
        assert all(l.startswith("%d " % pid) for l in lines), lines
        assert any(re.search(r'execve\("/bin/%s"' % name.split(".")[0], l)
                   for l in lines), lines
        assert re.match(r"%d +\+\+\+ exited with 0 \+\+\+$" % pid, lines[-1])
    root = read_lines(out / ("sh.%d" % sh.pid))
    assert re.match(r"%d +\+\+\+ exited with 3 \+\+\+$" % sh.pid, root[-1])
    assert not any("execve" in l for l in root), root


def test_tree_gives_each_running_process_its_file(tmp_path, background):
    out = tmp_path / "out"
    out.mkdir()
    sh = background(["sh", "-c", "sleep 600 & echo $!; read x; kill $!; "
                     "wait; exit 0"], stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE, text=True)
    sleeper = int(sh.proc.stdout.readline())
    tracer = background([PTRC, "attach", "--tree", "-o", str(out / "%n.%p"),
                         str(sh.pid)], stderr=subprocess.PIPE, text=True)
    assert wait_for(lambda: all(
        ("TracerPid:\t%d\n" % tracer.pid) in open("/proc/%d/status" % p).read()
        for p in (sh.pid, sleeper)))
    assert wait_for(lambda: len(files(out)) == 2), files(out)
    assert files(out) == sorted(["sh.%d" % sh.pid, "sleep.%d" % sleeper])
    sh.proc.stdin.write("go\n")
    sh.proc.stdin.flush()
    assert sh.proc.wait(timeout=60) == 0
    assert tracer.proc.wait(timeout=60) == 0, tracer.proc.stderr.read()
    assert re.match(r"%d +\+\+\+ killed by SIGTERM \+\+\+$" % sleeper,
                    read_lines(out / ("sleep.%d" % sleeper))[-1])
    root = read_lines(out / ("sh.%d" % sh.pid))
    assert any(re.match(r"%d +kill\(%d, SIGTERM\) += 0" % (sh.pid, sleeper), l)
               for l in root), root
