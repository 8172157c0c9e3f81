"""-c with i386 processes traced from x86_64: strace 6.1 prints one table
per personality, the 64-bit one first, then "System call usage summary
for 32 bit mode:" and the 32-bit one (its rows ordered by i386 syscall
numbers). A 64-bit shell runs an i386 fixture; with -U calls,errors,name
the tables hold no time, so ptrc's output must be strace's byte for byte.
(The layout on fabricated calls: tests/unit/test_summary.c.)"""
import shutil
import subprocess

import pytest

from conftest import PTRC, fixture, i386

STRACE = shutil.which("strace")


@pytest.mark.skipif(STRACE is None, reason="strace is not installed")
@pytest.mark.parametrize("sort", [i386("nothing"), i386("calls"), i386("name")])
def test_tables_per_personality_like_strace(tmp_path, sort):
    exe = fixture("fx_widths", m32=True)
    command = ["/bin/sh", "-c", '"$0" >/dev/null; true', exe]
    out = {}
    for tool, cmd in (("strace", [STRACE]), ("ptrc", [PTRC, "run"])):
        done = subprocess.run(cmd + ["-f", "-c", "-U", "calls,errors,name",
                                     "-S", sort, "-o", str(tmp_path / tool),
                                     "--"] + command,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        out[tool] = (tmp_path / tool).read_text()
    assert "System call usage summary for 32 bit mode:\n" in out["strace"]
    assert out["ptrc"] == out["strace"]
