"""-k: the stack after each syscall, with source lines and inlined frames."""
import json
import os
import re
import subprocess

import pytest

from conftest import FIXTURES, PTRC, i386, program

SOURCES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")


def marker(name, source="crash_null.c"):
    with open(os.path.join(SOURCES, source)) as f:
        for number, line in enumerate(f, 1):
            if "LINE:%s " % name in line:
                return number
    raise KeyError(name)


def common_line():
    with open(os.path.join(SOURCES, "crash_common.h")) as f:
        for number, line in enumerate(f, 1):
            if "read(0, &c, 1)" in line:
                return number


def traced(build, *options):
    exe = program(os.path.join(FIXTURES, "crash_null-" + build))
    done = subprocess.run([PTRC, "run", "-k", *options, "--", exe, "wait"],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)
    return done.stderr.splitlines(), exe


def stack_after(lines, pattern):
    for i, line in enumerate(lines):
        if re.match(pattern, line):
            stack = []
            for follow in lines[i + 1:]:
                if not follow.startswith(" > "):
                    break
                stack.append(follow)
            return stack
    raise AssertionError("no line %r in %s" % (pattern, lines))


@pytest.mark.parametrize("build,options", [
    ("O0", []), ("O2", []), ("O2", ["-e", "trace=read"]),
    ("O2", ["--unwinder=libunwind"]), i386("O2-m32", [])])
def test_read_stack(build, options):
    lines, exe = traced(build, *options)
    stack = stack_after(lines, r'^read\(0, "", 1\)\s+= 0$')
    stack = [l for l in stack if not l.startswith(" > [vdso")]  # i386
    exe_re = re.escape(exe)
    assert re.match(r"^ > \S*libc\.so\.6\(\S*read\S*\) \[0x[0-9a-f]+\]", stack[0]), stack
    inlined = "" if build == "O0" else r" \(inlined\)"
    offset = r"\+0x[0-9a-f]+" if build == "O0" else ""
    assert re.match(r"^ > %s\(crash_wait_for_go%s\) \[0x[0-9a-f]+\]%s \S*crash_common\.h:%d"
                    % (exe_re, offset, inlined, common_line()), stack[1]), stack
    assert re.match(r"^ > %s\(main\+0x[0-9a-f]+\) \[0x[0-9a-f]+\] \S*crash_null\.c:%d"
                    % (exe_re, marker("main") - 1), stack[2]), stack


def test_every_syscall_has_a_stack():
    lines, exe = traced("O2")
    for i, line in enumerate(lines):
        if re.match(r"^\w+\(.*\)\s+= ", line) and not line.startswith("execve("):
            assert lines[i + 1].startswith(" > "), (line, lines[i + 1])


def test_json_stacks():
    """-k with --json: each syscall object carries its thread's stack as
    the crash report's thread object, the same frames as the text."""
    exe = os.path.join(FIXTURES, "crash_null-O2")
    done = subprocess.run([PTRC, "run", "-k", "--json", "--", exe, "wait"],
                          stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 128 + 11, done.stderr[-500:]  # it crashes after the go
    objects = [json.loads(l) for l in done.stderr.splitlines()]
    calls = [o for o in objects if o["type"] == "syscall"]
    assert all("stack" in o for o in calls if o["syscall"] != "execve"), calls[:2]
    read = [o for o in calls if o["syscall"] == "read" and
            o["args"][0]["text"] == "0"][0]
    stack = read["stack"]
    assert stack["tid"] == read["tid"] and stack["frames_total"] >= 3, stack
    frames = stack["frames"]
    assert frames[0]["module"].endswith("libc.so.6") and "read" in frames[0]["function"]
    wait = frames[1]
    assert (wait["function"], wait["inlined"], wait["line"]) == \
        ("crash_wait_for_go", True, common_line()), wait
    assert wait["file"].endswith("crash_common.h") and wait["module"] == exe
    main = frames[2]
    assert (main["function"], main["inlined"], main["line"]) == \
        ("main", False, marker("main") - 1), main
    assert main["file"].endswith("crash_null.c")
