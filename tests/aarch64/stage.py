#!/usr/bin/python3
"""Stage the aarch64 guest: kernel, busybox, ptrc's cross build, its runtime
libraries, and an initramfs (cpio newc) with them.

    stage.py --build BUILD --src SRC --cache CACHE

BUILD is the cross build directory, SRC the source tree; CACHE keeps the
downloaded .deb files and what they unpack to, so that a rerun downloads
nothing. Writes CACHE/vmlinuz and CACHE/initrd.

Packages are only ever fetched with `apt-get download` and unpacked with
dpkg-deb, never installed. The runtime libraries are found by following
DT_NEEDED from every ELF program staged: each soname missing from the
guest is looked up in the arm64 multiarch packages installed on the build
machine (the ones the cross build linked against), and that exact version
is downloaded.

Build products keep their absolute paths inside the guest (BUILD/...,
SRC/...), so the commands of `meson introspect --tests` and the file names
in DWARF work there as they are."""
import argparse
import glob
import json
import os
import shlex
import shutil
import stat
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
LIB_DIRS = ["lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu", "lib",
            "usr/lib"]
# Busybox applets linked at staging time (the rest by `busybox --install`
# at boot): /bin/sh for /init, /bin/true for fx_fork.
APPLETS = ["sh", "true", "false", "sleep", "cat", "echo", "kill", "mount"]


def log(msg):
    print("stage: " + msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          text=True, **kw).stdout


# ---------------------------------------------------------------- packages

def download(pkg, version, debs):
    """Path of PKG's arm64 .deb (VERSION, or any when None) in DEBS,
    fetched unless already there."""
    name = pkg.split(":")[0]

    def cached():
        for path in sorted(glob.glob(os.path.join(debs, name + "_*_arm64.deb"))):
            if version is None or run(["dpkg-deb", "-f", path, "Version"]).strip() == version:
                return path
        return None

    path = cached()
    if path:
        return path
    spec = name + ":arm64" + ("=" + version if version else "")
    log("apt-get download " + spec)
    subprocess.run(["apt-get", "download", "-q", spec], cwd=debs, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = cached()
    if not path:
        raise SystemExit("stage: apt-get download %s gave no .deb" % spec)
    return path


def unpack(deb, cache):
    """Directory DEB is unpacked into (once)."""
    out = os.path.join(cache, "unpacked", os.path.basename(deb)[:-4])
    if not os.path.exists(os.path.join(out, ".done")):
        shutil.rmtree(out, ignore_errors=True)
        os.makedirs(out)
        subprocess.run(["dpkg-deb", "-x", deb, out], check=True)
        open(os.path.join(out, ".done"), "w").close()
    return out


def kernel(cache, debs):
    """CACHE/vmlinuz from the package linux-image-arm64:arm64 depends on."""
    deps = run(["apt-cache", "depends", "linux-image-arm64:arm64"])
    image = None
    for line in deps.splitlines():
        words = line.split()
        if len(words) == 2 and words[0] == "Depends:" and \
                words[1].startswith("linux-image-"):
            image = words[1].split(":")[0]
            break
    if not image:
        raise SystemExit("stage: no kernel image in:\n" + deps)
    deb = download(image, None, debs)
    target = os.path.join(cache, "vmlinuz")
    stamp = target + ".from"
    if os.path.exists(target) and os.path.exists(stamp) and \
            open(stamp).read() == deb:
        return target
    # Only the Image: the modules are not needed (virt's devices and
    # everything the tests use are built in).
    tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                           stdout=subprocess.PIPE)
    tmp = os.path.join(cache, "kernel-tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    subprocess.run(["tar", "-x", "-C", tmp, "--wildcards", "./boot/vmlinuz-*"],
                   stdin=tar.stdout, check=True)
    tar.wait()
    images = glob.glob(os.path.join(tmp, "boot", "vmlinuz-*"))
    if len(images) != 1:
        raise SystemExit("stage: %s has no single /boot/vmlinuz-*" % deb)
    os.replace(images[0], target)
    shutil.rmtree(tmp)
    with open(stamp, "w") as f:
        f.write(deb)
    return target


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
        copy_tree(unpack(download(pkg, version, debs), cache), root)
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
                                 "(tests/aarch64/install-deps?)" % so)
            log("%s from %s %s" % (so, *owner))
            copy_tree(unpack(download(owner[0], owner[1], debs), cache), root)


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
    dbg = unpack(download("libc6-dbg", version, debs), cache)
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

def add_file(root, path, mode=None):
    dst = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copy2(path, dst)
    if mode is not None:
        os.chmod(dst, mode)


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


# ---------------------------------------------------------------- cpio newc

def write_cpio(root, out, extra_nodes):
    """ROOT as a newc archive, every file owned by root; EXTRA_NODES:
    (path, mode, rdevmajor, rdevminor) device nodes made without mknod."""
    ino = [300000]

    def header(f, name, mode, size, nlink=1, rmaj=0, rmin=0):
        ino[0] += 1
        name_b = name.encode() + b"\0"
        fields = [ino[0], mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin,
                  len(name_b), 0]
        f.write(b"070701" + b"".join(b"%08X" % v for v in fields))
        f.write(name_b)
        f.write(b"\0" * (-(110 + len(name_b)) % 4))

    def data(f, blob):
        f.write(blob)
        f.write(b"\0" * (-len(blob) % 4))

    with open(out + ".tmp", "wb") as f:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            rel = os.path.relpath(dirpath, root)
            if rel != ".":
                header(f, rel, stat.S_IFDIR | 0o755, 0, 2)
            for name in sorted(filenames) + [d for d in dirnames if
                                             os.path.islink(os.path.join(dirpath, d))]:
                path = os.path.join(dirpath, name)
                arc = os.path.normpath(os.path.join(rel, name))
                st = os.lstat(path)
                if stat.S_ISLNK(st.st_mode):
                    target = os.readlink(path).encode()
                    header(f, arc, stat.S_IFLNK | 0o777, len(target))
                    data(f, target)
                else:
                    with open(path, "rb") as src:
                        blob = src.read()
                    header(f, arc, stat.S_IFREG | stat.S_IMODE(st.st_mode),
                           len(blob))
                    data(f, blob)
        for path, mode, rmaj, rmin in extra_nodes:
            header(f, path, mode, 0, 1, rmaj, rmin)
        header(f, "TRAILER!!!", 0, 0)
        f.write(b"\0" * (-f.tell() % 512))
    os.replace(out + ".tmp", out)


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--cache", required=True)
    a = ap.parse_args()
    build, src, cache = (os.path.abspath(p) for p in (a.build, a.src, a.cache))
    debs = os.path.join(cache, "debs")
    os.makedirs(debs, exist_ok=True)

    kernel(cache, debs)

    root = os.path.join(cache, "root")
    shutil.rmtree(root, ignore_errors=True)
    for d in ["bin", "sbin", "proc", "sys", "dev", "tmp", "etc", "root",
              "ptrc-tests"]:
        os.makedirs(os.path.join(root, d))
    bb = unpack(download("busybox-static", None, debs), cache)
    shutil.copy2(os.path.join(bb, "bin", "busybox"),
                 os.path.join(root, "bin", "busybox"))
    for applet in APPLETS:
        os.symlink("busybox", os.path.join(root, "bin", applet))

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
    for name in ["guest-tests.sh", "crash-tests.sh", "lcall-tests.sh",
                 "known-failures"]:
        shutil.copy2(os.path.join(HERE, name),
                     os.path.join(root, "ptrc-tests", name))
    shutil.copy2(os.path.join(HERE, "init"), os.path.join(root, "init"))
    os.chmod(os.path.join(root, "init"), 0o755)
    # Sources the crash reports and stacks name (file:line checks).
    for f in glob.glob(os.path.join(src, "fixtures", "*.c")):
        add_file(root, f)

    add_libraries(root, cache, debs, own)
    add_libc_debuginfo(root, cache, debs)
    write_cpio(root, os.path.join(cache, "initrd"),
               [("dev/console", stat.S_IFCHR | 0o600, 5, 1),
                ("dev/null", stat.S_IFCHR | 0o666, 1, 3)])
    size = os.path.getsize(os.path.join(cache, "initrd"))
    log("initrd: %.1f MiB, %d unit tests" % (size / 1048576, len(tests)))


if __name__ == "__main__":
    main()
