"""--transcript DIR (src/modes/trace_transcript.c): one file per TCP or
UNIX stream connection a traced process accepts or connects, the dialogue
as it read and wrote it. fx_peers' clients each say "hello N" and its
server replies "reply N"; the oracle is what the fixture sends."""
import os
import re

from conftest import fixture, ptrc, run_traced

NAME = re.compile(r"^(\d{8}T\d{6})-(?P<peer>[0-9a-f._]+)\.(?P<port>\d+)-"
                  r"(?P<name>[\w.+@-]+)\.(?P<pid>\d+)\.txt$")


def transcripts(directory):
    found = {}
    for name in sorted(os.listdir(directory)):
        m = NAME.match(name)
        assert m, name
        text = (directory / name).read_text()
        found[name] = (m, text.splitlines())
    return found


def body(lines):
    return [l for l in lines if not l.startswith("# ")]


def header(lines, key):
    for l in lines:
        if l.startswith("# %s: " % key):
            return l[len(key) + 4:].rstrip()
    return None


def test_one_file_per_session(tmp_path):
    out = tmp_path / "t"
    out.mkdir()
    done, _ = run_traced(tmp_path, [fixture("fx_peers"), "6"],
                         "--transcript", str(out))
    assert done.returncode == 0, done.stderr
    found = transcripts(out)
    assert len(found) == 3, found
    by_peer = {}
    for name, (m, lines) in found.items():
        assert m.group("name") == "fx_peers"
        assert header(lines, "role") == "server (C: the client, S: the server)"
        assert header(lines, "queue-id") == "-"
        by_peer[m.group("peer")] = (m, lines)
    assert sorted(by_peer) == ["127.0.0.1", "127.0.0.2", "__1"]
    for n, peer in enumerate(["127.0.0.1", "127.0.0.2", "__1"], 1):
        m, lines = by_peer[peer]
        assert body(lines) == ["C: hello %d" % n, "S: reply %d" % n]
        # the service's port: the server's own, in the header as local
        assert header(lines, "local").endswith(" port " + m.group("port"))
        assert header(lines, "peer").startswith(peer.replace("__", "::") + " ")


def test_a_client_process_is_the_client(tmp_path):
    out = tmp_path / "t"
    out.mkdir()
    done, _ = run_traced(tmp_path, [fixture("fx_peers"), "4"], "-f",
                         "--transcript", str(out))
    assert done.returncode == 0, done.stderr
    found = transcripts(out)
    roles = sorted((header(l, "role").split()[0], tuple(body(l)))
                   for m, l in found.values())
    assert roles == [
        ("client", ("C: hello 1", "S: reply 1")),
        ("client", ("C: hello 2", "S: reply 2")),
        ("server", ("C: hello 1", "S: reply 1")),
        ("server", ("C: hello 2", "S: reply 2"))], roles
    # a client's file is named after the server's address and port
    ports = {m.group("port") for m, l in found.values()}
    assert len(ports) == 1, found.keys()


def test_bad_directory(tmp_path):
    done = ptrc("run", "--transcript", str(tmp_path / "none"), "--", "true")
    assert done.returncode == 64 and done.stderr.count("\n") == 1
    assert "is not a directory" in done.stderr
