"""-y/-yy in --json: a descriptor's text is the same in arguments and in
the return value as in the text format (the differential test compares
that one with strace)."""
import json
import os

from conftest import fixture, run_traced


def test_json_fd_returns(tmp_path):
    done, lines = run_traced(tmp_path, [fixture("fx_net_fds"), str(tmp_path)],
                             "--json", "-yy", "-e",
                             "trace=socket,accept,fcntl,openat")
    assert done.returncode == 0, done.stderr
    calls = [json.loads(l) for l in lines if l.startswith("{")]
    calls = [c for c in calls if c.get("type") == "syscall"]
    sockets = [c["text"] for c in calls if c["syscall"] == "socket"]
    assert sockets[0].startswith("3<TCP:["), sockets
    assert any(t.startswith("3<NETLINK:[") for t in sockets), sockets
    accepted = [c["text"] for c in calls if c["syscall"] == "accept"]
    assert accepted[0].startswith("5<TCP:[127.0.0.1:"), accepted
    dups = [c for c in calls if c["syscall"] == "fcntl"
            and c["args"][1]["text"] == "F_DUPFD"]
    assert dups[0]["text"].endswith("</dev/null<char 1:3>>"), dups
    assert dups[0]["args"][0]["text"].endswith("</dev/null<char 1:3>>")
    opened = [c for c in calls if c["syscall"] == "openat"
              and c["args"][0]["text"].startswith("AT_FDCWD<")]
    # ptrc's (and so the tracee's) current directory
    assert opened and opened[0]["args"][0]["text"] == "AT_FDCWD<%s>" % os.getcwd()
