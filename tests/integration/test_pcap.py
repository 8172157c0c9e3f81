"""--pcap FILE (src/modes/trace_pcap.c, src/output/pcap_stream.c): the
TCP connections of the traced processes as synthesised streams. Read back
by tcpdump and, when Debian's tshark is installed, checked by its TCP
analysis (checksums, sequence numbers) and compared, byte for byte and
direction by direction, with the transcript of the same run."""
import os
import shutil
import subprocess

import pytest

from conftest import fixture, ptrc, run_traced

TCPDUMP = shutil.which("tcpdump")
TSHARK = shutil.which("tshark")
needs_tcpdump = pytest.mark.skipif(TCPDUMP is None, reason="no tcpdump")
needs_tshark = pytest.mark.skipif(TSHARK is None, reason="no tshark")


def tshark(*args):
    done = subprocess.run([TSHARK, *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def streams(path):
    """{stream: (client "addr:port", server "addr:port", client bytes,
    server bytes)} as tshark reassembles them."""
    found = {}
    out = tshark("-r", str(path), "-T", "fields", "-E", "separator=|",
                 "-e", "tcp.stream", "-e", "tcp.flags.syn", "-e",
                 "tcp.flags.ack", "-e", "ip.src", "-e", "ipv6.src", "-e",
                 "tcp.srcport", "-e", "ip.dst", "-e", "ipv6.dst", "-e",
                 "tcp.dstport", "-e", "tcp.payload")
    for row in out.splitlines():
        (stream, syn, ack, src4, src6, sport, dst4, dst6, dport,
         payload) = row.split("|")
        src, dst = "%s:%s" % (src4 or src6, sport), "%s:%s" % (dst4 or dst6, dport)
        if syn == "1" and ack == "0":
            found[stream] = [src, dst, b"", b""]
        s = found[stream]
        data = bytes.fromhex(payload.replace(":", ""))
        if src == s[0]:
            s[2] += data
        else:
            s[3] += data
    return found


@needs_tcpdump
def test_tcpdump_reads_each_session(tmp_path):
    cap = tmp_path / "x.pcap"
    done, _ = run_traced(tmp_path, [fixture("fx_peers"), "6"],
                         "--pcap", str(cap))
    assert done.returncode == 0, done.stderr
    out = subprocess.run([TCPDUMP, "-r", str(cap), "-nn", "-A"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert text.count("Flags [S],") == 3 and text.count("Flags [S.],") == 3
    assert text.count("Flags [F.],") == 6
    for n in (1, 2, 3):
        assert text.count("hello %d" % n) == 1 and text.count("reply %d" % n) == 1
    assert "127.0.0.2." in text and "::1." in text


@needs_tshark
@pytest.mark.parametrize("follow", [[], ["-f"]], ids=["server", "both-ends"])
def test_streams_equal_the_transcripts(tmp_path, follow):
    cap, tdir = tmp_path / "x.pcap", tmp_path / "t"
    tdir.mkdir()
    done, _ = run_traced(tmp_path, [fixture("fx_peers"), "6"], *follow,
                         "--pcap", str(cap), "--transcript", str(tdir))
    assert done.returncode == 0, done.stderr
    # tshark's analysis finds nothing wrong: checksums, sequence numbers
    bad = tshark("-r", str(cap), "-o", "tcp.check_checksum:TRUE", "-o",
                 "ip.check_checksum:TRUE", "-Y",
                 "tcp.checksum.status != 1 || tcp.analysis.flags || "
                 "(ip && ip.checksum.status != 1)")
    assert bad.strip() == "", bad
    got = streams(cap)
    assert len(got) == 3, got  # -f: each connection once
    wanted = set()
    for name in os.listdir(tdir):
        lines = (tdir / name).read_text().splitlines()
        if not any(l.startswith("# role: server") for l in lines):
            continue
        c = "".join(l[3:] + "\n" for l in lines if l.startswith("C: "))
        s = "".join(l[3:] + "\n" for l in lines if l.startswith("S: "))
        wanted.add((c.encode(), s.encode()))
    assert {(v[2], v[3]) for v in got.values()} == wanted
    assert len(wanted) == 3


def test_bad_file():
    done = ptrc("run", "--pcap", "/nonexistent/x.pcap", "--", "true")
    assert done.returncode == 64 and done.stderr.count("\n") == 1
