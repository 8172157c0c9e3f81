"""-k on signal lines: strace 6.1 prints the thread's stack after each
"--- SIG ... ---" and "--- stopped by SIG ---" line, as after a syscall's.
ptrc's frames are compared with strace's: the same modules and the same
addresses, frame by frame (the symbols differ: ptrc names a frame from
DWARF, with its source line, strace from the symbol table)."""
import json
import os
import re
import signal
import subprocess

from conftest import FIXTURES, PTRC

FRAME = re.compile(r"^ > (?P<module>[^(]*)\(.*?\) \[(?P<pc>0x[0-9a-f]+)\]")


def frames_after(lines, pattern):
    """The (module, pc) of the ' > ' lines right after the line matching
    PATTERN."""
    for i, line in enumerate(lines):
        if re.match(pattern, line):
            out = []
            for follow in lines[i + 1:]:
                m = FRAME.match(follow)
                if not m:
                    break
                out.append((m["module"], m["pc"]))
            return out
    raise AssertionError("no line %r in %s" % (pattern, lines))


def run(tool, *args):
    done = subprocess.run([*tool, "-k", *args], input="\n",
                          capture_output=True, text=True, timeout=60)
    return done.stderr.splitlines()


def test_segv_stack_as_strace():
    exe = os.path.join(FIXTURES, "crash_null-O2")
    sig = r"^--- SIGSEGV \{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL\} ---$"
    ours = run([PTRC, "run"], "-e", "trace=none", "--", exe, "wait")
    theirs = run(["strace"], "-e", "trace=none", exe, "wait")
    mine = frames_after(ours, sig)
    assert len(mine) >= 5 and mine[0][0] == exe, ours
    assert mine == frames_after(theirs, sig), (ours, theirs)
    assert ours[-1] == theirs[-1] == "+++ killed by SIGSEGV +++"


def stop_and_continue(tool, *options, stopped="--- stopped by SIGSTOP ---"):
    """sh stops itself; the test continues it once the tracer printed the
    group-stop line."""
    proc = subprocess.Popen(
        [*tool, "-k", *options, "/bin/sh", "-c", "echo $$; kill -STOP $$; echo go"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        pid = int(proc.stdout.readline())
        lines = []
        while True:
            line = proc.stderr.readline()
            assert line, lines
            lines.append(line.rstrip("\n"))
            if stopped in line:
                break
        os.kill(pid, signal.SIGCONT)
        # read through the same buffered files (communicate() would skip
        # what they already hold)
        err = proc.stderr.read()
        assert proc.stdout.read() == "go\n"
        proc.wait(timeout=60)
        return lines + err.splitlines()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_group_stop_and_signals_as_strace():
    opts = ["-e", "trace=none", "-e", "signal=STOP,CONT"]
    ours = stop_and_continue([PTRC, "run"], *opts)
    theirs = stop_and_continue(["strace"], *opts)
    patterns = [r"^--- SIGSTOP \{", r"^--- stopped by SIGSTOP ---$",
                r"^--- SIGCONT \{"]
    for pattern in patterns:
        mine = frames_after(ours, pattern)
        assert mine and mine == frames_after(theirs, pattern), \
            (pattern, ours, theirs)
    # the signal lines themselves are strace's (pids and uids aside)
    def heads(lines):
        return [re.sub(r"si_pid=\d+", "si_pid=N", l) for l in lines
                if not l.startswith(" > ")]
    assert heads(ours) == heads(theirs)


def test_signal_and_stop_json():
    """--json -k: the signal's and the group-stop's objects carry a
    "stack" as a syscall's does."""
    ours = stop_and_continue([PTRC, "run", "--json"], "-e", "trace=none",
                             stopped='"type":"stopped"')
    objects = [json.loads(l) for l in ours]
    kinds = [(o["type"], o.get("signal")) for o in objects
             if o["type"] in ("signal", "stopped")]
    assert kinds == [("signal", "SIGSTOP"), ("stopped", "SIGSTOP"),
                     ("signal", "SIGCONT")], kinds
    for o in objects:
        if o["type"] in ("signal", "stopped"):
            stack = o["stack"]
            assert stack["tid"] == o["tid"] and stack["frames"], o
            assert "libc.so" in stack["frames"][0]["module"], o
        else:
            assert "stack" not in o, o


def test_no_stack_without_k():
    exe = os.path.join(FIXTURES, "crash_null-O2")
    done = subprocess.run([PTRC, "run", "-e", "trace=none", "--", exe, "wait"],
                          input="\n", capture_output=True, text=True, timeout=60)
    assert not [l for l in done.stderr.splitlines() if l.startswith(" > ")]
