"""USB sticks as staff know them: the mounted removable drives, by label and size, and writing a bundle to one.

A stick is a mounted file system (from /proc/mounts) whose block device says it is removable, or that is mounted
under one of the folders where the desktop mounts sticks (`KIOSK_USB_ROOTS`: /media/<user>/<LABEL> on Debian).
A plain folder is never a stick: an unmounted stick must not become a file on the kiosk's own disk."""

import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kiosk import os_errors
from sync import bundle

STALE_PART = re.compile(r"\.wuxiao-bundle-.*\.part$")
NOT_STICKS = {"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs", "overlay"}


@dataclass(frozen=True)
class Stick:
    """A mounted removable drive: where it is mounted, its device, its label, its size and free space in bytes."""

    mount: str
    device: str
    label: str
    total: int
    free: int

    @property
    def size_text(self):
        """Return its size and free space as staff read them."""
        return f"{gigabytes(self.total)}，可用 {gigabytes(self.free)}"


def gigabytes(n):
    """Return a byte count as GB or MB with one decimal."""
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def unescape(field):
    """Return a /proc/mounts field with its octal escapes (\\040 for a space) decoded."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def mounts(proc_mounts="/proc/mounts"):
    """Yield (device, mount point, file system type) of every mounted file system."""
    with open(proc_mounts, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                yield unescape(parts[0]), unescape(parts[1]), parts[2]


def is_removable(device):
    """Return whether a block device (or the disk it is a partition of) says it is removable or sits on USB."""
    name = Path(os.path.realpath(device)).name if device.startswith("/dev/") else ""
    if not name:
        return False
    node = Path("/sys/class/block") / name
    disk = node if (node / "removable").exists() else node.resolve().parent
    try:
        if (disk / "removable").read_text().strip() == "1":
            return True
        return "/usb" in str(disk.resolve())
    except OSError:
        return False


def labels():
    """Return {device path: label} from /dev/disk/by-label."""
    found = {}
    folder = Path("/dev/disk/by-label")
    if folder.is_dir():
        for link in folder.iterdir():
            found[os.path.realpath(link)] = unescape(link.name.replace("\\x20", " "))
    return found


def roots(config):
    """Return the folders where USB sticks are mounted (KIOSK_USB_ROOTS, comma-separated)."""
    return [r.strip() for r in str(config["KIOSK_USB_ROOTS"]).split(",") if r.strip()]


def under(path, roots):
    """Return whether path lies strictly inside one of the root folders."""
    return any(Path(path) != Path(root) and Path(root) in Path(path).parents for root in roots)


def sticks(roots):
    """Return the mounted sticks, by mount point; roots: the folders where sticks are mounted."""
    named = labels()
    found = []
    for device, mount, kind in mounts():
        if kind in NOT_STICKS or not os.path.isdir(mount):
            continue
        if not (under(mount, roots) or is_removable(device)):
            continue
        try:
            usage = shutil.disk_usage(mount)
        except OSError:
            continue
        label = named.get(os.path.realpath(device)) or Path(mount).name
        found.append(Stick(mount, device, label, usage.total, usage.free))
    return sorted(found, key=lambda s: s.mount)


def find(roots, mount):
    """Return the stick mounted at mount, or None if none is (any more)."""
    return next((s for s in sticks(roots) if s.mount == mount), None)


def clean_stale(folder):
    """Remove what exports cut short (a stick pulled, power lost) left behind; return how many."""
    removed = 0
    for path in Path(folder).iterdir():
        if STALE_PART.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class NotVerified(Exception):
    """The bundle read back from the stick does not match its checksums."""


def verify(path):
    """Read the bundle back from the stick and check bundle.json against its SHA256SUMS; raise NotVerified."""
    with zipfile.ZipFile(path) as z:
        if z.testzip() is not None:
            raise NotVerified(f"{path.name} 读回时损坏")
        expected = z.read("SHA256SUMS").decode("ascii").split()[0]
        with z.open("bundle.json") as f:
            if hashlib.file_digest(f, "sha256").hexdigest() != expected:
                raise NotVerified(f"{path.name} 读回的内容与校验和不符")


def write(db, kiosk_id, stick, install=None):
    """Write a bundle onto the stick, clean stale parts, read it back and check it, flush; return its Summary."""
    clean_stale(stick.mount)
    summary = bundle.export(db, kiosk_id, stick.mount, install)
    verify(summary.path)
    os.sync()
    return summary


def eject(stick):
    """Unmount the stick so it can be pulled; return None when done, else the reason in Chinese."""
    os.sync()
    commands = []
    if shutil.which("udisksctl") and stick.device.startswith("/dev/"):
        commands.append(["udisksctl", "unmount", "--no-user-interaction", "-b", stick.device])
    commands.append(["umount", stick.mount])
    reason = "系统没有卸载命令"
    for command in commands:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as e:
            reason = str(e)
            continue
        if done.returncode == 0:
            return None
        reason = (done.stderr or done.stdout).strip() or f"退出码 {done.returncode}"
    return f"无法安全弹出（{reason}）。数据已写好并已刷新到U盘，等U盘指示灯停止闪烁后也可以直接拔出。"


def os_error_text(e):
    """Return an operating system error met writing to a stick, in Chinese."""
    return os_errors.describe(e, "U盘")
