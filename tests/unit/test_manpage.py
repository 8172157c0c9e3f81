"""ptrc(1), `ptrc --help` and the option table agree.

Every option in src/cli/option_table.c is in --help and in docs/ptrc.1;
every option --help names is in the man page; and every option the man
page documents (its .TP tags, outside NOT IMPLEMENTED) is one ptrc takes.

usage: test_manpage.py PTRC SOURCE_ROOT
"""
import os
import re
import subprocess
import sys

ROW = re.compile(r'^\s*\{ (NULL|"([\w-]+)"), (0|\'(.)\'), \w+, \w+ \},', re.M)
TOKEN = re.compile(r"(?<![\w-])(--[a-z][a-z-]*[a-z]|-[A-Za-z]+)")


def table_options(root):
    with open(os.path.join(root, "src/cli/option_table.c")) as f:
        text = f.read()
    found = set()
    for m in ROW.finditer(text):
        if m.group(2):
            found.add("--" + m.group(2))
        if m.group(4):
            found.add("-" + m.group(4))
    assert len(found) > 40, "option table not parsed: %d" % len(found)
    return found


def tokens(text):
    """Options named in TEXT: -tt counts as -t, --x=V as --x."""
    found = set()
    for t in TOKEN.findall(text):
        if t.startswith("--"):
            found.add(t)
        elif len(set(t[1:])) == 1:  # -t, -tt, -ttt
            found.add(t[:2])
    return found


def man_text(root):
    with open(os.path.join(root, "docs/ptrc.1")) as f:
        roff = f.read()
    roff = roff.replace("\\-", "-")
    return re.sub(r"\\f[BIRP]", "", roff)


def man_tags(text):
    """The option tags of the man page: the line after each .TP, before
    the NOT IMPLEMENTED section."""
    text = text.split(".SH NOT IMPLEMENTED")[0]
    lines = text.splitlines()
    return {t for i, l in enumerate(lines) if l.startswith(".TP")
            for t in tokens(lines[i + 1])}


def main(ptrc, root):
    table = table_options(root)
    help_text = subprocess.run([ptrc, "--help"], capture_output=True,
                               text=True, check=True).stdout
    man = man_text(root)
    failures = []
    in_help, in_man = tokens(help_text), tokens(man)
    for opt in sorted(table - in_help):
        failures.append("%s is in the option table but not in --help" % opt)
    for opt in sorted(table - in_man):
        failures.append("%s is in the option table but not in ptrc.1" % opt)
    for opt in sorted(in_help - in_man):
        failures.append("%s is in --help but not in ptrc.1" % opt)
    for opt in sorted(man_tags(man) - table):
        failures.append("ptrc.1 documents %s, which ptrc does not take" % opt)
    commands = man.split(".SH COMMANDS")[1].split(".SH ")[0]
    usage = re.findall(r"^(?:usage:)? +ptrc (\w+)", help_text, re.M)
    for command in sorted(set(usage)):
        if ".B %s\n" % command not in commands:
            failures.append("ptrc %s is in --help but not in ptrc.1's "
                            "COMMANDS" % command)
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
