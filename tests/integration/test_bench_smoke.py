"""tests/bench/run.py still works: one repetition at the tiny size prints
its table with every expected row. No timing is asserted (CI machines are
noisy); the benchmark proper is run on demand (README, Benchmarks)."""
import json
import os
import re
import shutil
import subprocess
import sys

from conftest import BUILD

RUN_PY = os.path.join(os.path.dirname(__file__), "..", "bench", "run.py")

# (scenario, tool) of every row the table must have, whatever ptrc can do
# yet: rows for a missing option say "n/a: ...".
EXPECTED = [
    ("1 run", "native"), ("1 run", "floor"), ("1 run", "floor --info"),
    ("1 run", "strace -f -o FILE"),
    ("1 run", "ptrc run -f -o FILE"),
    ("1 attach", "floor -p"), ("1 attach", "strace -f -o FILE -p"),
    ("1 attach", "ptrc attach -f -o FILE"),
    ("2 trace=write", "floor seccomp"),
    ("2 trace=write", "strace --seccomp-bpf -f -e trace=write"),
    ("2 trace=write", "ptrc run -f -e trace=write"),
    ("3 crash", "floor --cont"), ("3 crash", "ptrc run -f --crash"),
    ("4 stack", "eu-stack -s -i -p"),
    ("4 stack", "gdb -batch -p PID -ex 'thread apply all bt'"),
    ("4 stack", "ptrc stack"),
    ("5 crash latency", "ptrc run --crash"),
    ("6 -k", "strace -f -k -o FILE"), ("6 -k", "ptrc run -f -k -o FILE"),
    ("mem", "ptrc attach: peak RSS"), ("mem", "ptrc attach -k: peak RSS"),
    ("7 lcall", "native"), ("7 lcall", "ltrace -e lcfix_add -o /dev/null"),
    ("7 lcall", "ptrc run -l lcfix_add -o /dev/null"),
]
WORKLOADS = {
    "1 run": ["getppid_loop 2000", "getppid_loop 2000, 4 threads", "rw_loop 1000",
              "cpu_loop 20"],
    "2 trace=write": ["getppid_loop 8000", "getppid_loop 8000, 4 threads",
                      "rw_loop 1000", "cpu_loop 20"],
}
WORKLOADS["1 attach"] = WORKLOADS["1 run"]
WORKLOADS["3 crash"] = WORKLOADS["2 trace=write"]
WORKLOADS["7 lcall"] = ["lcall_loop 2000"]


def table_rows(stdout, header="| scenario |"):
    """The cells of the rows of the table whose header line starts with
    HEADER (tables end at a blank line)."""
    rows = []
    inside = False
    for line in stdout.splitlines():
        if line.startswith(header):
            inside = True
        elif not line.strip():
            inside = False
        elif inside and line.startswith("| ") and not line.startswith("| ---"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            rows.append(cells)
    return rows


def test_bench_tiny(tmp_path):
    out_json = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, RUN_PY, "--size", "tiny", "--reps", "1", "--build", BUILD,
         "--json", str(out_json), "--timeout", "120"],
        capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    rows = table_rows(done.stdout)
    assert rows, done.stdout
    assert all(len(r) == 7 for r in rows), done.stdout

    present = {(r[0], r[2]) for r in rows}
    missing = [e for e in EXPECTED if e not in present]
    assert not missing, "missing rows %s in:\n%s" % (missing, done.stdout)
    for scenario, workloads in WORKLOADS.items():
        for workload in workloads:
            assert (scenario, workload) in {(r[0], r[1]) for r in rows}, \
                "%s / %s missing:\n%s" % (scenario, workload, done.stdout)

    # Every row measured something or says why not; the benchmark's own
    # programs (native, the floor tracers) always measure.
    for r in rows:
        status = r[3]
        assert not status.startswith("error"), "row %s:\n%s" % (r, done.stdout)
        if r[2].startswith(("native", "floor")):
            assert not status.startswith("n/a"), "row %s:\n%s" % (r, done.stdout)

    saved = json.loads(out_json.read_text())
    assert len(saved["results"]) == len(rows)
    for result in saved["results"]:
        if result["status"] == "ok":
            assert len(result["samples"]) >= 1 and result["median"] > 0

    # Scenario 7: the cost per library call of each tracer, after the
    # table; ltrace's is measured when ltrace is installed.
    per_call = {r[1]: r[2] for r in table_rows(done.stdout, "| workload | tool | per call")}
    lcall_tools = [t for s, t in EXPECTED if s == "7 lcall" and t != "native"]
    assert sorted(per_call) == sorted(lcall_tools), done.stdout
    ltrace_row = [r for r in rows if r[0] == "7 lcall" and r[2].startswith("ltrace")][0]
    if shutil.which("ltrace"):
        assert not ltrace_row[3].startswith("n/a"), ltrace_row
        assert re.fullmatch(r"\d+\.\d\d us", per_call[ltrace_row[2]]), per_call
        saved_ltrace = [r for r in saved["results"] if r["role"] == "ltrace"][0]
        assert saved_ltrace["calls"] == 2000 and saved_ltrace["per_call_us"] > 0
