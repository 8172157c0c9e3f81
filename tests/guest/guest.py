"""What every test guest does alike: Debian packages fetched with
`apt-get download` (never installed) and cached, the stock kernel and the
modules it must load, busybox, an initramfs (cpio newc) with tests/guest/init,
one boot per CPU under qemu-system-ARCH with a time limit, and the results
read back from the serial console.

What differs between architectures is data: an Arch (tests/guest/run) and
the files its stage() adds to the initramfs."""
import glob
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))

# Busybox applets linked at staging time (the rest by `busybox --install`
# at boot): /bin/sh for /init, /bin/true for fx_fork.
APPLETS = ["sh", "true", "false", "sleep", "cat", "echo", "kill", "mount"]


@dataclass
class Arch:
    name: str                 # uname -m in the guest
    deb_arch: str             # Debian's name: packages are NAME:DEB_ARCH
    qemu: list                # the emulator and its machine options
    console: str              # the serial console's device name
    cpus: list                # one boot per -cpu value
    memory_mb: int
    host_packages: list       # what the host needs (tools/install-deps style)
    foreign: bool = False     # DEB_ARCH is added to dpkg's architectures
    modules: list = field(default_factory=list)  # kernel/PATH.ko, any order
    host_root: bool = False   # the host's / as the guest's, read-only (9p)


def log(msg):
    print("guest: " + msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE,
                          text=True, **kw).stdout


# ---------------------------------------------------------------- packages

def install_host_packages(arch):
    """Install what ARCH's guest needs on this host (as root)."""
    missing = [p for p in arch.host_packages if subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", p], capture_output=True,
        text=True).stdout.find("ok installed") < 0]
    if not missing:
        return
    if os.getuid() != 0:
        raise SystemExit("guest: missing Debian packages: %s (run as root to "
                         "install)" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    update = False
    if arch.foreign and arch.deb_arch not in run(
            ["dpkg", "--print-foreign-architectures"]).split():
        run(["dpkg", "--add-architecture", arch.deb_arch])
        update = True
    if update or not all(_has_candidate(p) for p in missing):
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    # Multiarch libraries must be the same version as their amd64 twins:
    # apt upgrades the amd64 ones where needed.
    subprocess.run(["apt-get", "install", "-y", "-qq",
                    "--no-install-recommends", *missing], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def _has_candidate(pkg):
    out = subprocess.run(["apt-cache", "policy", pkg], capture_output=True,
                         text=True).stdout
    m = re.search(r"Candidate: (\S+)", out)
    return bool(m) and m.group(1) != "(none)"


def download(pkg, version, deb_arch, debs):
    """Path of PKG's DEB_ARCH .deb (VERSION, or any when None) in DEBS,
    fetched unless already there."""
    name = pkg.split(":")[0]

    def cached():
        for path in sorted(glob.glob(os.path.join(
                debs, "%s_*_%s.deb" % (name, deb_arch)))):
            if version is None or run(["dpkg-deb", "-f", path,
                                       "Version"]).strip() == version:
                return path
        return None

    path = cached()
    if path:
        return path
    spec = "%s:%s%s" % (name, deb_arch, "=" + version if version else "")
    log("apt-get download " + spec)
    subprocess.run(["apt-get", "download", "-q", spec], cwd=debs, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    path = cached()
    if not path:
        raise SystemExit("guest: apt-get download %s gave no .deb" % spec)
    return path


def unpack(deb, cache, members=None):
    """Directory DEB is unpacked into (once); MEMBERS: only these paths
    (tar wildcards) of it."""
    tag = os.path.basename(deb)[:-4] + ("" if members is None else ".part")
    out = os.path.join(cache, "unpacked", tag)
    done = os.path.join(out, ".done")
    want = "\n".join(members or [])
    if os.path.exists(done) and open(done).read() == want:
        return out
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    if members is None:
        subprocess.run(["dpkg-deb", "-x", deb, out], check=True)
    else:
        tar = subprocess.Popen(["dpkg-deb", "--fsys-tarfile", deb],
                               stdout=subprocess.PIPE)
        subprocess.run(["tar", "-x", "-C", out, "--wildcards", *members],
                       stdin=tar.stdout, check=True)
        if tar.wait() != 0:
            raise SystemExit("guest: dpkg-deb --fsys-tarfile %s failed" % deb)
    with open(done, "w") as f:
        f.write(want)
    return out


# ---------------------------------------------------------------- kernel

def kernel(arch, cache, debs):
    """(vmlinuz, {module name: path}) from the image linux-image-DEB_ARCH
    depends on: only the Image and ARCH.modules are unpacked."""
    deps = run(["apt-cache", "depends", "linux-image-%s:%s" %
                (arch.deb_arch, arch.deb_arch)])
    image = None
    for line in deps.splitlines():
        words = line.split()
        if len(words) == 2 and words[0] == "Depends:" and \
                words[1].startswith("linux-image-"):
            image = words[1].split(":")[0]
            break
    if not image:
        raise SystemExit("guest: no kernel image in:\n" + deps)
    deb = download(image, None, arch.deb_arch, debs)
    members = ["./boot/vmlinuz-*"] + ["./lib/modules/*/kernel/%s.ko" % m
                                      for m in arch.modules]
    tree = unpack(deb, cache, members)
    images = glob.glob(os.path.join(tree, "boot", "vmlinuz-*"))
    if len(images) != 1:
        raise SystemExit("guest: %s has no single /boot/vmlinuz-*" % deb)
    modules = {}
    for path in glob.glob(os.path.join(tree, "lib", "modules", "*", "kernel",
                                       "**", "*.ko"), recursive=True):
        modules[os.path.basename(path)[:-3]] = path
    return images[0], modules


def module_depends(path):
    """The modules PATH needs loaded first (its .modinfo depends=)."""
    with open(path, "rb") as f:
        m = re.search(rb"(?:^|\0)depends=([^\0]*)\0", f.read())
    return [d for d in m.group(1).decode().split(",") if d] if m else []


def load_order(modules):
    """MODULES' names, each after what it depends on; every dependency
    must be among them (ARCH.modules lists them all)."""
    order, seen = [], set()

    def visit(name, needed_by):
        if name in seen:
            return
        if name not in modules:
            raise SystemExit("guest: module %s (needed by %s) is not in the "
                             "architecture's module list" % (name, needed_by[-1]))
        if name in needed_by:
            raise SystemExit("guest: module dependency cycle: %s" %
                             " -> ".join(needed_by + [name]))
        for dep in module_depends(modules[name]):
            visit(dep, needed_by + [name])
        seen.add(name)
        order.append(name)

    for name in sorted(modules):
        visit(name, [])
    return order


# ---------------------------------------------------------------- initramfs

def add_file(root, path, mode=None, dest=None):
    dst = os.path.join(root, (dest or path).lstrip("/"))
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    shutil.copy2(path, dst)
    if mode is not None:
        os.chmod(dst, mode)


def new_root(arch, cache, debs, modules):
    """CACHE/root: the directories, busybox, tests/guest/init as /init and
    the modules to load (/guest/modules lists them in order)."""
    root = os.path.join(cache, "root")
    shutil.rmtree(root, ignore_errors=True)
    for d in ["bin", "sbin", "proc", "sys", "dev", "tmp", "etc", "root",
              "guest/modules.d", "newroot"]:
        os.makedirs(os.path.join(root, d))
    bb = unpack(download("busybox-static", None, arch.deb_arch, debs), cache)
    shutil.copy2(os.path.join(bb, "bin", "busybox"),
                 os.path.join(root, "bin", "busybox"))
    for applet in APPLETS:
        os.symlink("busybox", os.path.join(root, "bin", applet))
    add_file(root, os.path.join(HERE, "init"), 0o755, "/init")
    order = load_order(modules)
    for name in order:
        add_file(root, modules[name], dest="/guest/modules.d/%s.ko" % name)
    with open(os.path.join(root, "guest", "modules"), "w") as f:
        f.write("".join(name + "\n" for name in order))
    if arch.host_root:
        open(os.path.join(root, "guest", "host-root"), "w").close()
    return root


def set_command(root, command):
    """The guest's test command (/guest/command, a shell command line)."""
    with open(os.path.join(root, "guest", "command"), "w") as f:
        f.write(command + "\n")


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


def write_initrd(root, cache):
    initrd = os.path.join(cache, "initrd")
    write_cpio(root, initrd,
               [("dev/console", stat.S_IFCHR | 0o600, 5, 1),
                ("dev/null", stat.S_IFCHR | 0o666, 1, 3)])
    log("initrd: %.1f MiB" % (os.path.getsize(initrd) / 1048576))
    return initrd


# ---------------------------------------------------------------- boot

RESULT = re.compile(r"^PTRC-GUEST-RESULT: (\d+) passed, (\d+) failed, "
                    r"(\d+) skipped$", re.M)
KERNEL_LINE = re.compile(r"^\[ *\d+\.\d+\] ")
VERDICT = re.compile(r"^(PASS|FAIL|SKIP|XFAIL) ")  # tagged with the CPU


def boot(arch, cpu, vmlinuz, initrd, console_log, limit, verbose=False):
    """Boot once with -cpu CPU; the console goes to CONSOLE_LOG. Returns
    (passed, failed, skipped), or None with the reason printed."""
    cmd = [*arch.qemu, "-cpu", cpu, "-smp", "2", "-m", str(arch.memory_mb),
           "-nic", "none", "-nographic", "-no-reboot",
           "-kernel", vmlinuz, "-initrd", initrd,
           "-append", "console=%s panic=-1 quiet%s" % (
               arch.console, " ptrc_verbose" if verbose else "")]
    if arch.host_root:
        cmd += ["-virtfs", "local,path=/,mount_tag=hostroot,readonly=on,"
                "security_model=none,multidevs=remap"]
    started = time.monotonic()
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    timer = threading.Timer(limit, qemu.kill)
    timer.start()
    # The guest's lines are shown as they come, from its first to its last
    # (the first follows the firmware's escape sequences on its line);
    # kernel messages that interleave (with "quiet" only warnings) are not.
    showing = False
    with open(console_log, "wb") as out:
        for raw in qemu.stdout:
            out.write(raw)
            line = raw.decode("utf-8", "replace").replace("\r", "").rstrip("\n")
            if "PTRC-GUEST-START" in line:
                showing = True
                line = line[line.index("PTRC-GUEST-START"):]
            if line.startswith("PTRC-GUEST-RESULT"):
                showing = False
            if showing and not KERNEL_LINE.match(line):
                print(VERDICT.sub(r"\1 [%s] " % cpu.split(",")[0], line),
                      flush=True)
    status = qemu.wait()
    timer.cancel()
    if time.monotonic() - started >= limit:
        status = "timeout"
    text = open(console_log, "rb").read().decode("utf-8", "replace")
    text = text.replace("\r", "")
    result = RESULT.search(text)
    if result:
        return tuple(int(n) for n in result.groups())
    if status == "timeout":
        print("FAIL the guest did not finish within %d s" % limit)
    else:
        print("FAIL the guest ended (qemu status %s) after %d s without "
              "results" % (status, time.monotonic() - started))
    print("    --- %s (last 40 lines)" % console_log)
    for line in text.splitlines()[-40:]:
        print("    | " + line)
    return None
