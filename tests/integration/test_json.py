"""--json: JSON Lines whatever the tracee holds.

Every line of `ptrc run --json -f` parses with Python's json module, has
type, pid and tid; syscall objects carry each argument's raw value and
decoded text, and failed calls their errno name. fx_strings writes control
bytes and invalid UTF-8 and opens paths holding them: they must come out
as valid JSON strings that decode back to ptrc's escaped text.
"""
import json
import re

import pytest

from conftest import I386, M32, fixture, ptrc, run_traced, syscalls


def run_json(tmp_path, argv, *options):
    out = tmp_path / "trace.jsonl"
    done = ptrc("run", "--json", "-f", "-o", str(out), *options, "--", *argv)
    raw = out.read_bytes()
    return done, raw


def parse_lines(raw):
    # The file itself is valid UTF-8 (invalid tracee bytes are escaped).
    text = raw.decode("utf-8")
    lines = text.splitlines()
    assert lines, "no JSON output"
    objects = []
    for n, line in enumerate(lines, 1):
        try:
            obj = json.loads(line)
        except ValueError as e:
            pytest.fail("line %d is not JSON (%s): %r" % (n, e, line))
        assert isinstance(obj, dict), line
        objects.append(obj)
    return objects


def check_event(obj):
    assert "type" in obj, obj
    if obj["type"] == "summary":
        return
    for key in ("pid", "tid"):
        assert isinstance(obj.get(key), int), (key, obj)
    if obj["type"] != "syscall":
        return
    assert isinstance(obj["syscall"], str) and obj["syscall"], obj
    assert isinstance(obj["nr"], int), obj
    assert obj["arch"] in ("x86_64", "i386", "aarch64"), obj
    assert isinstance(obj["args"], list), obj
    for arg in obj["args"]:
        assert set(arg) >= {"raw", "text"}, obj
        assert isinstance(arg["raw"], str) and isinstance(arg["text"], str)
    if "return" in obj and obj["return"] is not None and \
            isinstance(obj["return"], int) and obj["return"] < 0 and "errno" in obj:
        assert isinstance(obj["errno"], int) and obj["errno"] > 0, obj
        assert obj["errno_name"].startswith("E"), obj
        assert obj.get("error"), obj


FIXTURES = [
    ("fx_basic", []),
    ("fx_strings", []),
    ("fx_fork", []),
    ("fx_threads", ["2", "2"]),
    ("fx_signal", ["all", "{tmp}"]),
    ("fx_structs", []),
    ("diff_flags", []),
]


@M32
@pytest.mark.parametrize("name, args", FIXTURES, ids=[f[0] for f in FIXTURES])
def test_every_line_is_json(tmp_path, name, args, m32):
    argv = [fixture(name, m32)] + [a.replace("{tmp}", str(tmp_path)) for a in args]
    done, raw = run_json(tmp_path, argv)
    assert done.returncode == 0, done.stderr
    objects = parse_lines(raw)
    for obj in objects:
        check_event(obj)
    calls = [o for o in objects if o["type"] == "syscall"]
    assert len(calls) > 10
    # the first execve is entered by ptrc's 64-bit child; children may
    # exec other programs (fx_fork runs /bin/true)
    assert calls[0]["syscall"] == "execve"
    assert {o["arch"] for o in calls[1:] if o["pid"] == calls[0]["pid"]} \
        == {"i386" if m32 else "x86_64"}
    # at least one failed call with its errno name in every fixture but
    # the ones that make none
    errors = [o for o in calls if "errno_name" in o]
    if name != "fx_threads":
        assert errors, "no failed call seen"
    assert objects[-1]["type"] == "exit", objects[-1]


def test_control_bytes_and_invalid_utf8(tmp_path):
    done, raw = run_json(tmp_path, [fixture("fx_strings")])
    assert done.returncode == 0, done.stderr
    # no raw control byte in the file but the line ends
    assert not any(b < 0x20 and b != 0x0a for b in raw)
    objects = parse_lines(raw)
    writes = [o for o in objects if o["type"] == "syscall" and
              o["syscall"] == "write" and o["args"][0]["text"] == "1"]
    texts = [w["args"][1]["text"] for w in writes]
    assert r'"tab\there \"quoted\" back\\slash\n"' in texts
    assert r'"\0\1\177\377"' in texts
    opens = [o for o in objects if o["type"] == "syscall" and
             o["syscall"] == "openat" and "/nonexistent/" in o["args"][1]["text"]]
    assert opens[0]["args"][1]["text"] == r'"/nonexistent/caf\303\251-\377"'
    for o in opens:
        assert o["return"] == -1 and o["errno_name"] == "ENOENT", o


def test_summary_object(tmp_path):
    done, raw = run_json(tmp_path, [fixture("fx_basic")], "-c")
    assert done.returncode == 0, done.stderr
    objects = parse_lines(raw)
    for obj in objects:
        check_event(obj)
    summaries = [o for o in objects if o["type"] == "summary"]
    assert len(summaries) == 1
    s = summaries[0]
    rows = {r["syscall"]: r for r in s["syscalls"]}
    assert rows["openat"]["errors"] >= 1
    assert rows["write"]["calls"] >= 1
    assert s["total"]["calls"] == sum(r["calls"] for r in s["syscalls"])
    assert s["total"]["errors"] == sum(r["errors"] for r in s["syscalls"])


def normalize_args(text):
    text = re.sub(r"0x[0-9a-f]+", "ADDR", text)
    text = re.sub(r'sa_data="[^"]*"', "sa_data=X", text)   # a random port
    # pids (from 300 on once they wrap), times, inodes
    return re.sub(r"\b\d{3,}\b", "N", text)


@M32
@pytest.mark.parametrize("name", ["fx_basic", "fx_structs", "diff_flags"])
def test_json_args_are_the_text_lines_args(tmp_path, name, m32):
    """The same program traced as text and as JSON: each call's arguments
    are the same ones, text for text (a socketcall shows as its sub-call's
    arguments, an i386 64-bit register pair as one number), in order."""
    argv = [fixture(name, m32)] + (["0", str(tmp_path)] if name == "fx_basic" else [])
    options = ["-e", "trace=!execve", "-e", "signal=none"]   # no -f
    done, lines = run_traced(tmp_path, argv, *options)
    assert done.returncode == 0, done.stderr
    # values that change from run to run
    volatile = {"getrandom", "getrusage", "sysinfo", "times"}
    text_calls = [(c["name"], normalize_args(c["args"])) for c in syscalls(lines)
                  if c["name"] not in volatile]
    out = tmp_path / "trace.jsonl"
    done = ptrc("run", "--json", "-o", str(out), *options, "--", *argv)
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    json_calls = [(o["syscall"], normalize_args(", ".join(a["text"] for a in o["args"])))
                  for o in parse_lines(raw)
                  if o["type"] == "syscall" and o["syscall"] not in volatile]
    assert len(text_calls) == len(json_calls) > 20
    differing = [(t, j) for t, j in zip(text_calls, json_calls) if t != j]
    assert not differing, differing[:5]
    if m32 and name == "fx_structs":
        names = {n for n, _ in json_calls}
        assert {"socket", "bind", "sendmsg"} <= names and "socketcall" not in names


@I386
def test_summary_counts_socketcall_as_its_sub_calls(tmp_path):
    """i386 glibc makes socket calls through socketcall: -c counts them
    under the names the lines show, as strace does."""
    done, raw = run_json(tmp_path, [fixture("fx_structs", True)], "-c")
    assert done.returncode == 0, done.stderr
    # one summary per personality, as strace: the execve that starts the
    # i386 program is an x86_64 call; the program's calls are the 32-bit
    # table's
    summaries = [o for o in parse_lines(raw) if o["type"] == "summary"]
    [summary] = [o for o in summaries if o.get("personality") == "32 bit"]
    rows = {r["syscall"]: r for r in summary["syscalls"]}
    assert "socketcall" not in rows
    assert {"socket", "bind", "connect", "sendmsg", "recvmsg"} <= set(rows), sorted(rows)


def test_dumps_are_the_text_dumps(tmp_path):
    """-e read=/write= with --json: a syscall object's "dump" holds the
    lines the text format prints after its line, byte for byte."""
    prog = fixture("fx_iodump")
    opts = ("-e", "read=all", "-e", "write=all", "-e", "trace=writev,readv,sendmsg")
    done, raw = run_json(tmp_path, [prog], *opts)
    assert done.returncode == 0, done.stderr
    objects = [o for o in parse_lines(raw) if o["type"] == "syscall"]
    dumps = [o["dump"] for o in objects if "dump" in o]
    _, lines = run_traced(tmp_path, [prog], *opts)
    text, current = [], None
    for line in lines:
        if line.startswith((" | ", " * ")):
            current.append(line)
        else:
            current = []
            text.append(current)
    want = ["".join(l + "\n" for l in block) for block in text if block]
    assert dumps == want
    assert any(" * 3 bytes in buffer 0\n | 00000  61 62 63 " in d for d in dumps)
