"""The aarch64 guest's own part (tests/guest/run aarch64 DIR): ptrc
cross-built into DIR, its programs, unit tests and runtime libraries,
and the shell tests of this folder, in the initramfs; the guest runs
guest-tests.sh from there (there is no aarch64 userland to share).

The runtime libraries are found by following DT_NEEDED from every ELF
program staged: each soname missing from the guest is looked up in the
arm64 multiarch packages installed on the build machine (the ones the
cross build linked against), and that exact version is downloaded.

Build products keep their absolute paths inside the guest (BUILD/...,
SRC/...), so the commands of `meson introspect --tests` and the file names
in DWARF work there as they are."""
import glob
import json
import os
import shlex
import shutil
import subprocess

from guest import add_file, download, log, run, unpack

HERE = os.path.dirname(os.path.abspath(__file__))
LIB_DIRS = ["lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib",
            "usr/lib"]
DEB_ARCH = "arm64"
# What guest-tests.sh reads, from this folder.
GUEST_FILES = ["guest-tests.sh", "crash-tests.sh", "lcall-tests.sh",
               "known-failures"]
COMMAND = "sh /ptrc-tests/guest-tests.sh"


# ---------------------------------------------------------------- packages

def owner_of(soname):
    """(package, version) of the installed arm64 package that has SONAME."""
    try:
        out = run(["dpkg-query", "-S", "aarch64-linux-gnu/" + soname],
                  stderr=subprocess.DEVNULL)
    except subprocess.CalledProcessError:
        return None
    for line in out.splitlines():
        pkgs, _, path = line.partition(": ")
        if os.path.basename(path) != soname:
            continue
        for pkg in pkgs.split(", "):
            if pkg.endswith(":arm64"):
                version = run(["dpkg-query", "-W", "-f=${Version}", pkg])
                return pkg, version
    return None


# ---------------------------------------------------------------- ELF files

def is_elf(path):
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def needed(path):
    out = run(["readelf", "-d", "-W", path], stderr=subprocess.DEVNULL)
    names = []
    for line in out.splitlines():
        if "(NEEDED)" in line:
            names.append(line.split("[", 1)[1].rstrip("]"))
    return names


def find_lib(root, soname):
    for d in LIB_DIRS:
        if os.path.lexists(os.path.join(root, d, soname)):
            return os.path.join(root, d, soname)
    return None


def copy_tree(src, dst):
    """Copy a package's libraries (not docs, locales, gconv modules)."""
    for dirpath, dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        if rel.startswith(("usr/share", "usr/lib/aarch64-linux-gnu/gconv",
                           "etc", "usr/bin", "usr/sbin", "sbin")):
            dirnames[:] = []
            continue
        os.makedirs(os.path.join(dst, rel), exist_ok=True)
        for name in filenames + [d for d in dirnames
                                 if os.path.islink(os.path.join(dirpath, d))]:
            if name == ".done":
                continue
            s = os.path.join(dirpath, name)
            t = os.path.join(dst, rel, name)
            if os.path.lexists(t):
                continue
            if os.path.islink(s):
                os.symlink(os.readlink(s), t)
            else:
                shutil.copy2(s, t)


def add_libraries(root, cache, debs, own):
    """Unpack the packages of every missing soname until none is missing.
    OWN: sonames the build makes (its programs find them by their
    RUNPATH, $ORIGIN/...)."""
    base = ["libc6", "libgcc-s1"]
    for pkg in base:
        version = run(["dpkg-query", "-W", "-f=${Version}", pkg + ":arm64"])
        copy_tree(unpack(download(pkg, version, DEB_ARCH, debs), cache), root)
    done = set()
    while True:
        missing = set()
        for dirpath, _, filenames in os.walk(root):
            for name in filenames:
                path = os.path.join(dirpath, name)
                if os.path.islink(path) or path in done or not is_elf(path):
                    continue
                done.add(path)
                for so in needed(path):
                    if so not in own and not find_lib(root, so):
                        missing.add(so)
        if not missing:
            return
        for so in sorted(missing):
            if find_lib(root, so):
                continue
            owner = owner_of(so)
            if not owner:
                raise SystemExit("stage: no installed arm64 package has %s "
                                 "(the aarch64 host packages of tests/guest/run?)" % so)
            log("%s from %s %s" % (so, *owner))
            copy_tree(unpack(download(owner[0], owner[1], DEB_ARCH, debs), cache), root)


def build_id(path):
    out = run(["readelf", "-n", "-W", path], stderr=subprocess.DEVNULL)
    for line in out.splitlines():
        if "Build ID:" in line:
            return line.split("Build ID:")[1].strip()
    return None


def add_libc_debuginfo(root, cache, debs):
    """The separate debug info of the staged libc and ld.so (libc6-dbg, as
    tools/install-deps installs on the build machine): libc's internal
    functions (futex waits, ...) have names and lines only through it."""
    version = run(["dpkg-query", "-W", "-f=${Version}", "libc6:arm64"])
    dbg = unpack(download("libc6-dbg", version, DEB_ARCH, debs), cache)
    for d in LIB_DIRS:
        for path in glob.glob(os.path.join(root, d, "*.so*")):
            if os.path.islink(path) or not is_elf(path):
                continue
            bid = build_id(path)
            rel = "usr/lib/debug/.build-id/%s/%s.debug" % (bid[:2], bid[2:]) \
                if bid else None
            if rel and os.path.exists(os.path.join(dbg, rel)):
                os.makedirs(os.path.dirname(os.path.join(root, rel)),
                            exist_ok=True)
                shutil.copy2(os.path.join(dbg, rel), os.path.join(root, rel))


# ---------------------------------------------------------------- the guest

def build_products(build):
    """ELF programs of the build (not objects, not meson's own files)."""
    for dirpath, dirnames, filenames in os.walk(build):
        dirnames[:] = [d for d in dirnames
                       if not d.endswith(".p") and not d.startswith("meson-")
                       and d != "aarch64-guest"]
        for name in filenames:
            path = os.path.join(dirpath, name)
            if os.access(path, os.X_OK) and not os.path.islink(path) and \
                    is_elf(path):
                yield path


def unit_tests(build, src, root):
    """tests.list lines: NAME<TAB>TIMEOUT<TAB>shell command (run in the
    test's working directory, as meson test does); the files the commands
    name are copied into ROOT."""
    tests = json.loads(run(["meson", "introspect", "--tests", build]))
    lines = []
    for t in tests:
        cmd = t["cmd"]
        workdir = t.get("workdir") or build
        if not is_elf(cmd[0]):
            log("test %s runs on the build machine only (%s): not staged" %
                (t["name"], os.path.basename(cmd[0])))
            continue
        for arg in cmd[1:]:
            path = os.path.realpath(os.path.join(workdir, arg))
            if os.path.isfile(path) and (path.startswith(src + "/") or
                                         path.startswith(build + "/")):
                add_file(root, path)
        timeout = t.get("timeout") or 30
        lines.append("%s\t%d\tcd %s && %s" % (
            t["name"], timeout, shlex.quote(workdir),
            " ".join(shlex.quote(c) for c in cmd)))
    return lines


def pac_fixtures(build, src, root):
    """fx_signal and stack_threads built with -mbranch-protection=standard
    (as Debian builds its arm64 packages) into BUILD/fixtures-pac: on a CPU
    with pointer authentication their saved return addresses are signed.
    The meson build keeps plain fixtures: libunwind 1.6.2 cannot unwind
    code with pac-ret CFI (DW_CFA_AARCH64_negate_ra_state) even on a CPU
    without PAC."""
    out = os.path.join(build, "fixtures-pac")
    os.makedirs(out, exist_ok=True)
    for name, opt in [("fx_signal", "-O0"), ("stack_threads", "-O2")]:
        target = os.path.join(out, name)
        source = os.path.join(src, "fixtures", name + ".c")
        subprocess.run(["clang", "--target=aarch64-linux-gnu", opt, "-g",
                        "-gdwarf-aranges", "-mbranch-protection=standard",
                        "-fomit-frame-pointer", "-pthread", "-w", "-o", target,
                        source], check=True)
        add_file(root, target)




def cross_build(build, src):
    """Cross-build ptrc into BUILD (meson, cross/aarch64-linux-gnu.ini)."""
    if not os.path.exists(os.path.join(build, "build.ninja")):
        subprocess.run(["meson", "setup", "--cross-file",
                        os.path.join(src, "cross", "aarch64-linux-gnu.ini"),
                        build], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(build, "ninja.log"), "w") as out:
        if subprocess.run(["ninja", "-C", build], stdout=out,
                          stderr=subprocess.STDOUT).returncode != 0:
            raise SystemExit("guest: aarch64 cross build failed:\n" +
                             open(os.path.join(build, "ninja.log")).read())
    warnings = sorted({l for l in open(os.path.join(build, "ninja.log"))
                       if "warning:" in l})
    if warnings:
        print("".join(warnings) + "(aarch64 build warnings above)")


def stage(build, src, cache, debs, root):
    """Everything but the kernel, busybox and /init into ROOT; returns
    the guest's command."""
    cross_build(build, src)
    os.makedirs(os.path.join(root, "ptrc-tests"), exist_ok=True)
    own = set()
    for path in build_products(build):
        add_file(root, path)
        own.add(os.path.basename(path))
    tests = unit_tests(build, src, root)
    pac_fixtures(build, src, root)
    with open(os.path.join(root, "ptrc-tests", "unit-tests"), "w") as f:
        f.write("".join(line + "\n" for line in tests))
    with open(os.path.join(root, "ptrc-tests", "env"), "w") as f:
        f.write("BUILD=%s\nSRC=%s\nPTRC=%s/src/ptrc\nFX=%s/fixtures\n" %
                tuple(shlex.quote(p) for p in (build, src, build, build)))
    for name in GUEST_FILES:
        shutil.copy2(os.path.join(HERE, name),
                     os.path.join(root, "ptrc-tests", name))
    # Sources the crash reports and stacks name (file:line checks).
    for f in glob.glob(os.path.join(src, "fixtures", "*.c")):
        add_file(root, f)
    add_libraries(root, cache, debs, own)
    add_libc_debuginfo(root, cache, debs)
    log("%d unit tests staged" % len(tests))
    return COMMAND
