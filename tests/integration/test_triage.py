"""ptrc triage: real crash reports (text and JSON, written by `ptrc run
--crash -o FILE`) grouped into distinct crashes and flagged; checked
against the reports themselves and against readelf (build-ids, the
compiler's DW_AT_producer). Then hostile files: skipped with a warning
naming the file and line, never a crash, and the exit status."""
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import FIXTURES, PTRC, program

SOURCES = os.path.join(os.path.dirname(__file__), "..", "..", "fixtures")


def crash(tmp_path, name, argv, json_report=False):
    """`ptrc run --crash [--json] -o NAME -- ARGV`: the report file."""
    out = tmp_path / name
    done = subprocess.run([PTRC, "run", "--crash", "-o", str(out)] +
                          (["--json"] if json_report else []) + ["--"] + argv,
                          cwd=tmp_path, capture_output=True, timeout=60)
    assert done.returncode >= 128, done  # killed by the re-delivered signal
    assert out.exists() and out.stat().st_size > 0
    return str(out)


def triage(*files, json_out=False):
    args = [PTRC, "triage"] + (["--json"] if json_out else []) + list(files)
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def build_id(path):
    """The GNU build-id, by readelf."""
    notes = subprocess.run(["readelf", "-n", path], capture_output=True,
                           text=True, check=True).stdout
    return re.search(r"Build ID: ([0-9a-f]+)", notes).group(1)


def producers(path):
    """Every DW_AT_producer of PATH, by readelf."""
    info = subprocess.run(["readelf", "--debug-dump=info", path],
                          capture_output=True, text=True).stdout
    return set(m.strip() for m in
               re.findall(r"DW_AT_producer\s*:\s*(?:\(indirect[^)]*\):\s*)?(.*)$",
                          info, re.M))


def report_fields(path):
    """(signature, pid) of each report in a file, read here by regex (text)
    or json (JSON lines)."""
    found = []
    with open(path) as f:
        for line in f:
            if line.startswith('{"type":"crash"'):
                d = json.loads(line)
                found.append((d["signature"], d["pid"]))
            m = re.match(r"\s*PID: (\d+) ", line)
            if m:
                pid = int(m.group(1))
            m = re.match(r"\s*Signature: ([0-9a-f]{16})$", line)
            if m:
                found.append((m.group(1), pid))
    return found


def crash_lines(stdout):
    return [l for l in stdout.splitlines() if l.startswith("crash ")]


def flag_lines(stdout, kind):
    return [l for l in stdout.splitlines() if l.startswith("flag %s: " % kind)]


def test_real_reports(tmp_path):
    null = program(os.path.join(FIXTURES, "crash_null-O2"))
    abort = program(os.path.join(FIXTURES, "crash_abort-O2"))
    files = [crash(tmp_path, "smtpd.1.log", [null]),
             crash(tmp_path, "smtpd.2.log", [null], json_report=True),
             crash(tmp_path, "smtpd.3.log", [null]),
             crash(tmp_path, "cleanup.4.log", [abort])]
    reports = [r for f in files for r in report_fields(f)]
    assert len(reports) == 4
    null_sig = reports[0][0]
    assert [s for s, _ in reports[:3]] == [null_sig] * 3
    done = triage(*files)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert out.startswith("ptrc triage: 4 crash reports in 4 files: "
                          "2 distinct crashes\n")
    first, second = crash_lines(out)
    # most frequent first: the three NULL writes, their pids in time order
    assert first.startswith("crash %s SIGSEGV: 3 times, first " % null_sig)
    pids = ",".join(str(p) for _, p in reports[:3])
    assert "processes crash_null-O2[%s];" % pids in first
    producer = re.search(r", compiler (.*)\)$", first).group(1)
    assert producer in producers(null)
    assert "executables %s (build-id %s, compiler " % (
        null, build_id(null)) in first
    assert second.startswith("crash %s SIGABRT: 1 time, first " % reports[3][0])
    assert "build-id %s" % build_id(abort) in second
    # each program one build, one crash (crash_abort's only once, but
    # that program never crashed otherwise): nothing to flag
    assert not [l for l in out.splitlines() if l.startswith("flag ")]

    done = triage(*files, json_out=True)
    assert done.returncode == 0
    doc = json.loads(done.stdout)
    assert doc["type"] == "triage" and doc["reports"] == 4
    assert doc["files"] == 4
    c = doc["crashes"][0]
    assert c["signature"] == null_sig and c["count"] == 3
    assert [r["pid"] for r in c["reports"]] == [p for _, p in reports[:3]]
    assert [r["file"] for r in c["reports"]] == files[:3]
    assert c["first"] <= c["last"]
    assert c["executables"] == [{"path": null, "build_id": build_id(null),
                                 "producer": producer}]
    assert doc["flags"] == []
    # -o FILE: the same document in the file, nothing on stdout
    out = tmp_path / "triage.json"
    again = subprocess.run([PTRC, "triage", "--json", "-o", str(out)] + files,
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout == ""
    assert out.read_text() == done.stdout


def rebuild(source, exe, *flags):
    """FIXTURE's source compiled again (another build-id) into EXE."""
    cc = shutil.which("gcc") or pytest.skip("no gcc")
    subprocess.run([cc, "-g", *flags, "-I", SOURCES,
                    os.path.join(SOURCES, source), "-o", exe], check=True)


def test_rebuilt_and_replaced(tmp_path):
    """One path, two builds (gcc -O2 and -O1): the same crash in both, two
    compilers; then a build replaced on disk while it runs."""
    exe = str(tmp_path / "smtpd")
    shutil.copy(os.path.join(FIXTURES, "crash_null-O2"), exe)
    first_id = build_id(exe)
    files = [crash(tmp_path, "a.log", [exe])]
    rebuild("crash_null.c", str(tmp_path / "smtpd.new"), "-O1")
    os.replace(str(tmp_path / "smtpd.new"), exe)
    second_id = build_id(exe)
    assert first_id != second_id
    files.append(crash(tmp_path, "b.log", [exe], json_report=True))
    done = triage(*files)
    assert done.returncode == 0, done.stderr
    [line] = crash_lines(done.stdout)  # the same crash: same signature
    assert ": 2 times," in line
    assert first_id in line and second_id in line
    [rebuilt] = flag_lines(done.stdout, "survived-rebuild")
    assert "2 different builds" in rebuilt
    assert first_id in rebuilt and second_id in rebuilt
    [compilers] = flag_lines(done.stdout, "different-compilers")
    assert compilers.startswith("flag different-compilers: %s was built "
                                "with 2 different compilers or compiler "
                                "options" % exe)
    assert not flag_lines(done.stdout, "program-replaced")

    # replaced while it runs: the crash report sees "(deleted)"
    out = tmp_path / "c.log"
    p = subprocess.Popen([PTRC, "run", "--crash", "-o", str(out), "--", exe,
                          "wait"], cwd=tmp_path, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    assert p.stdout.readline() == b"ready\n"  # the handshake
    rebuild("crash_null.c", str(tmp_path / "smtpd.new"), "-O2", "-DREBUILT")
    os.replace(str(tmp_path / "smtpd.new"), exe)
    p.stdin.write(b"x")
    p.stdin.close()
    assert p.wait(timeout=60) >= 128
    done = triage(*files, str(out))
    assert done.returncode == 0, done.stderr
    [replaced] = flag_lines(done.stdout, "program-replaced")
    assert replaced.startswith("flag program-replaced: %s (deleted): the "
                               "program that crashed was deleted or replaced"
                               % exe)
    assert "restart Postfix" in replaced


def test_one_build_crashing_two_ways(tmp_path):
    exe = program(os.path.join(FIXTURES, "crash_choice-O2"))
    files = [crash(tmp_path, "1.log", [exe, "null"]),
             crash(tmp_path, "2.log", [exe, "wild"]),
             crash(tmp_path, "3.log", [exe, "null"], json_report=True)]
    done = triage(*files)
    assert done.returncode == 0, done.stderr
    assert len(crash_lines(done.stdout)) == 2
    [hw] = flag_lines(done.stdout, "hardware-suspect")
    assert hw.startswith("flag hardware-suspect: %s (build-id %s) crashed in "
                         "2 different ways at 2 different addresses: "
                         % (exe, build_id(exe)))
    [once] = flag_lines(done.stdout, "never-repeated")
    assert once.startswith("flag never-repeated: crash %s (SIGSEGV) of %s "
                           "happened once, while that program crashed 3 "
                           "times in all" % (report_fields(files[1])[0][0], exe))


def test_hostile_files(tmp_path):
    good = crash(tmp_path, "good.log",
                 [program(os.path.join(FIXTURES, "crash_null-O2"))])
    with open(good) as f:
        text = f.read()
    head, _, _ = text.partition("\n\n")
    bad = tmp_path / "bad.log"
    with open(bad, "wb") as f:
        f.write(b"\x00\xff junk \x1b[31m\n")
        f.write(head.encode() + b"\n")                 # cut: no end marker
        f.write(b'{"type":"crash","signature":"zz"}\n')  # no signature
        f.write(b'{"type":"crash",\xff\n')               # broken JSON
        f.write(text.replace("Signature: ", "Signature: \\x00").encode())
        f.write(b"=== ptrc crash report ===\n Signature: 0123456789abcdef\n")
    done = triage(str(bad))
    assert done.returncode == 1  # no report
    lines = done.stderr.splitlines()
    assert len(lines) == 5, done.stderr
    for line, why in zip(lines, ["it does not end", "no signature",
                                 "broken JSON", "no signature",
                                 "it does not end"]):
        assert line.startswith("ptrc triage: %s:" % bad) and why in line
    assert done.stdout.startswith("ptrc triage: 0 crash reports in 1 file:")

    missing = str(tmp_path / "missing.log")
    done = triage(good, missing, str(tmp_path))
    assert done.returncode == 2  # unreadable files; the rest triaged
    assert done.stderr.splitlines() == [
        "ptrc triage: %s: No such file or directory" % missing,
        "ptrc triage: %s: is a directory" % tmp_path]
    assert len(crash_lines(done.stdout)) == 1

    assert triage().returncode == 64
    done = subprocess.run([PTRC, "triage", "-f", good], capture_output=True,
                          text=True)
    assert done.returncode == 64 and "triage takes only" in done.stderr
