"""`meson install` installs the binary, ptrc(1), bash completion, the docs
and the licence (checked with --destdir, from the build under test)."""
import os
import shutil
import subprocess

import pytest

from conftest import BUILD

MESON = shutil.which("meson")


@pytest.mark.skipif(not MESON, reason="meson is not installed")
def test_meson_install(tmp_path):
    done = subprocess.run([MESON, "install", "-C", BUILD, "--no-rebuild",
                           "--destdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    installed = {os.path.relpath(os.path.join(d, f), tmp_path)
                 for d, _, files in os.walk(tmp_path) for f in files}
    def one(suffix):
        found = [p for p in installed if p.endswith(suffix)]
        assert len(found) == 1, (suffix, sorted(installed))
        return tmp_path / found[0]
    binary = one("/bin/ptrc")
    assert os.access(binary, os.X_OK)
    assert subprocess.run([binary, "--version"], capture_output=True,
                          text=True).stdout.startswith("ptrc ")
    assert one("/man/man1/ptrc.1").read_text().startswith(".\\\" ptrc(1)")
    assert "complete -F _ptrc ptrc" in \
        one("/bash-completion/completions/ptrc").read_text()
    for doc in ("README.md", "LICENSE", "ARCHITECTURE.md", "postfix.md"):
        one("/doc/ptrc/" + doc)


def test_completion_offers_options_from_help():
    """The completion reads the options from ptrc --help."""
    bash = shutil.which("bash")
    script = os.path.join(os.path.dirname(__file__), "..", "..", "tools",
                          "completion", "ptrc")
    ptrc = os.path.join(BUILD, "src", "ptrc")
    done = subprocess.run([bash, "-c", 'source "$1"; COMP_WORDS=("$2" run --output-s); '
                           'COMP_CWORD=2; _ptrc; echo "${COMPREPLY[*]}"; '
                           'COMP_WORDS=("$2" st); COMP_CWORD=1; _ptrc; '
                           'echo "${COMPREPLY[*]}"', "x", script, ptrc],
                          capture_output=True, text=True, timeout=30)
    assert done.stdout.splitlines() == ["--output-separately", "stack"], done
