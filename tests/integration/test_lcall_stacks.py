"""-k with -l: after each library call's line, the thread's stack as it
stood at the call's entry (the function itself the first frame), in
strace's -k layout; with --json a "stack" field of the call object. The
oracle is the ELF symbol table (nm): the first frame is at the function's
own address in liblcfix.so, the next one its caller: lc_main for
lcfix_add(2, 3), lcfix_outer in liblcfix.so for lcfix_add(5, 1), lc_main
or another lcfix_* function for the others (see fixtures/lc_main.c).
(ltrace 0.7.3 as Debian builds it has no -w to compare with.)"""
import json
import os
import re
import subprocess

from conftest import FIXTURES, PTRC, fixture

FRAME = re.compile(r"^ > (?P<module>[^(]*)\((?P<sym>[^)]*)\) \[(?P<pc>0x[0-9a-f]+)\]")


def symbol_offset(library, name):
    out = subprocess.run(["nm", "-D", "--defined-only", library],
                         capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        value, _, sym = line.split()
        if sym == name:
            return int(value, 16)
    raise KeyError(name)


def run(*options):
    return subprocess.run([PTRC, "run", "-k", *options, "-l",
                           "lcfix_add,lcfix_echo", "--", fixture("lc_main"), "2"],
                          input="go\nquit\n", capture_output=True, text=True,
                          timeout=60)


def test_call_stacks_text():
    done = run()
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    lib = os.path.realpath(os.path.join(FIXTURES, "liblcfix.so"))
    calls = 0
    for i, line in enumerate(lines):
        m = re.match(r"^(lcfix_add|lcfix_echo)@liblcfix\.so\((.*)\)\s+= ", line)
        if not m:
            continue
        calls += 1
        frames = [FRAME.match(l) for l in lines[i + 1:i + 4]]
        assert frames[0] and frames[1], lines[i:i + 4]
        assert os.path.realpath(frames[0]["module"]) == lib, frames[0].group(0)
        assert int(frames[0]["pc"], 16) == symbol_offset(lib, m.group(1)), \
            (frames[0].group(0), hex(symbol_offset(lib, m.group(1))))
        assert frames[0]["sym"] == m.group(1), frames[0].group(0)
        caller = frames[1]
        if m.group(2) == "5, 1":
            assert caller["sym"].startswith("lcfix_outer+"), caller.group(0)
        elif m.group(2) == "2, 3":
            assert caller["module"].endswith("/lc_main"), caller.group(0)
        else:
            assert caller["module"].endswith("/lc_main") or \
                caller["sym"].startswith("lcfix_"), caller.group(0)
    assert calls >= 4, lines


def test_call_stacks_json():
    done = run("--json")
    assert done.returncode == 0, done.stderr
    calls = [o for o in map(json.loads, done.stderr.splitlines())
             if o["type"] == "call"]
    assert calls
    for call in calls:
        frames = call["stack"]["frames"]
        assert frames[0]["module"].endswith("liblcfix.so"), call
        assert frames[0]["function"] == call["function"], call
        texts = [a["text"] for a in call["args"]]
        if texts == ["5", "1"]:
            assert frames[1]["function"] == "lcfix_outer", call
        elif texts == ["2", "3"]:
            assert frames[1]["module"].endswith("/lc_main"), call
        else:
            assert frames[1]["module"].endswith("/lc_main") or \
                frames[1]["function"].startswith("lcfix_"), call


def test_no_stacks_without_k():
    done = subprocess.run([PTRC, "run", "-l", "lcfix_add", "--",
                           fixture("lc_main"), "2"], input="go\nquit\n",
                          capture_output=True, text=True, timeout=60)
    assert not [l for l in done.stderr.splitlines() if l.startswith(" > ")]
