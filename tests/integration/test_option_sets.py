"""The sets of strace 6.1's qualifiers as ptrc parses them: -e verbose=,
--decode-fds=
(path, socket, dev, pidfd, all, none, "!"; -e decode-fds=), -y/-yy beside
it, and "all"/"none" in a list (strace's qualify_tokens takes them only as
the whole set). Each case is given to strace 6.1 too: both accept it, or
both refuse it with the same message (ptrc's exit status 64, strace's 1).
What each --decode-fds form prints is compared with strace's by the
differential test (fx_net_fds lines of tests/differential/corpus.txt)."""
import shutil
import subprocess

import pytest

from conftest import PTRC

STRACE = shutil.which("strace")
USAGE = 64


def both(*options):
    """(strace's, ptrc's) exit status and stderr of OPTIONS on /bin/true
    with nothing traced."""
    out = []
    for tool in (["strace"], [PTRC, "run"]):
        done = subprocess.run([*tool, *options, "-e", "trace=none",
                               "/bin/true"],
                              capture_output=True, text=True, timeout=60)
        out.append((done.returncode, done.stderr))
    return out


@pytest.mark.skipif(not STRACE, reason="strace is not installed")
@pytest.mark.parametrize("options", [
    ["--decode-fds"], ["--decode-fds=path"], ["--decode-fds=socket"],
    ["--decode-fds=dev"], ["--decode-fds=pidfd"], ["--decode-fds=all"],
    ["--decode-fds=none"], ["--decode-fds=path,dev,pidfd"],
    ["--decode-fds=!path"], ["--decode-fds=!!socket"], ["--decode-fds=!all"],
    ["-e", "decode-fds=dev"], ["-e", "decode-fd=socket"],
    ["--decode-fds=dev", "--decode-fds=path"], ["-yyy"],
    ["-e", "quiet=!all"], ["-e", "signal=!none"], ["-e", "read=none"],
    ["-e", "verbose=none"], ["-e", "verbose=!poll,%file"], ["--verbose=all"],
    ["-e", "v=?nosuch,read"], ["-e", "abbrev=all,read"],
])
def test_accepted_as_strace(options):
    (s_rc, s_err), (p_rc, p_err) = both(*options)
    assert (s_rc, s_err) == (0, "+++ exited with 0 +++\n")
    assert (p_rc, p_err) == (s_rc, s_err)


@pytest.mark.skipif(not STRACE, reason="strace is not installed")
@pytest.mark.parametrize("options", [
    ["-y", "--decode-fds=dev"], ["--decode-fds=dev", "-yy"],
    ["-e", "decode-fds=path", "-y"], ["--decode-fds=bogus"],
    ["--decode-fds="], ["--decode-fds=path,nope"], ["--decode-fds=all,path"],
    ["--decode-fds=path,none"], ["-e", "quiet=all,exit"],
    ["-e", "status=all,failed"], ["-e", "signal=none,HUP"],
    ["-e", "read=all,1"], ["-e", "verbose=nosuch"], ["-e", "trace="],
    ["-e", "trace=%nosuch"],
])
def test_refused_as_strace(options):
    (s_rc, s_err), (p_rc, p_err) = both(*options)
    assert s_rc == 1 and s_err.startswith("strace: "), s_err
    assert p_rc == USAGE and p_err.count("\n") == 1, p_err
    why = s_err[len("strace: "):].rstrip("\n")
    assert p_err.startswith("ptrc: " + why), (p_err, s_err)
