"""Escaping of string arguments, as strace does it, and -s."""
import pytest

from conftest import M32, fixture, run_traced, syscalls

LONG = "A" * 100


def writes(lines):
    return [(c["args"], c["ret"]) for c in syscalls(lines, "write")
            if c["args"].startswith("1, ")]


@M32
def test_escapes(tmp_path, m32):
    done, lines = run_traced(tmp_path, [fixture("fx_strings", m32)])
    assert done.returncode == 0, done.stderr
    assert writes(lines) == [
        (r'1, "tab\there \"quoted\" back\\slash\n", 29', "29"),
        (r'1, "\0\1\177\377", 4', "4"),
        (r'1, "\00012", 3', "3"),
        ('1, "%s"..., 100' % ("A" * 32), "100"),
        ('1, "0123456789", 10', "10"),
    ]


@M32
def test_paths_are_escaped_and_never_cut(tmp_path, m32):
    done, lines = run_traced(tmp_path, [fixture("fx_strings", m32)], "-s", "4")
    opens = [c for c in syscalls(lines, "openat") if "/nonexistent/" in c["args"]]
    assert [c["args"].split(", ")[1] for c in opens] == [
        r'"/nonexistent/caf\303\251-\377"',
        '"/nonexistent/%s"' % ("p" * 60),
    ]
    for c in opens:
        assert c["ret"] == "-1 ENOENT (No such file or directory)"


@pytest.mark.parametrize("limit, expected", [
    ("0", '""...'),
    ("1", '"A"...'),
    ("10", '"AAAAAAAAAA"...'),
    ("99", '"%s"...' % ("A" * 99)),
    ("100", '"%s"' % LONG),
    ("1000", '"%s"' % LONG),
])
def test_string_limit(tmp_path, limit, expected):
    done, lines = run_traced(tmp_path, [fixture("fx_strings")], "-s", limit)
    assert done.returncode == 0
    assert ("1, %s, 100" % expected, "100") in writes(lines)
    # A string shorter than the limit is never marked as cut.
    if int(limit) >= 10:
        assert ('1, "0123456789", 10', "10") in writes(lines)
    else:
        assert ('1, "%s"..., 10' % "0123456789"[:int(limit)], "10") in writes(lines)


def test_escapes_cut_at_limit_count_bytes_not_escapes(tmp_path):
    """-s counts the tracee's bytes: "\\0\\1\\177\\377" cut at 2 is "\\0\\1"..."""
    done, lines = run_traced(tmp_path, [fixture("fx_strings")], "-s", "2")
    assert (r'1, "\0\1"..., 4', "4") in writes(lines)
    assert (r'1, "ta"..., 29', "29") in writes(lines)
