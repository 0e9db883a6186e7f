"""The offline bundle (contract §4): every suggestion and every day's figures in one zip, written atomically."""

import hashlib
import itertools
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from kiosk import clock
from sync import outbox, stats
from sync.http import encode

FORMAT = "wuxiao-bundle/1"
INSTALL_MEMBER = "KIOSK-INSTALL"


@dataclass
class Summary:
    """What an export wrote."""

    path: Path
    suggestions: int
    days: int
    sha256: str


class HashingWriter:
    """A writer that passes bytes on and keeps their sha256."""

    def __init__(self, raw):
        self.raw = raw
        self.hash = hashlib.sha256()

    def write(self, data):
        """Write data and add it to the hash."""
        self.hash.update(data)
        self.raw.write(data)


class NoSuchFolder(Exception):
    """The folder to write to does not exist (a USB stick not mounted, say); nothing is created in its place."""


class BundleExists(Exception):
    """The file named for the bundle is already there; it is never overwritten."""


def target(path, kiosk_id, created, install=None):
    """Return the bundle's file path: path itself when it names a new .zip, else a free name inside the folder.

    The name carries the kiosk id, the installation and the time, and never is that of a file already there:
    a second kiosk's bundle on the same stick is never overwritten, even under the same kiosk id."""
    path = Path(path)
    folder = path.parent if path.suffix.lower() == ".zip" else path
    if not folder.is_dir():
        raise NoSuchFolder(f"目录不存在：{folder}（U 盘是否已插好并挂载？）")
    if folder is not path:
        if path.exists():
            raise BundleExists(f"{path} 已存在，不会覆盖它：请换一个文件名，或写到目录里（自动取名）。")
        return path
    kiosk = re.sub(r"[^A-Za-z0-9_-]", "", kiosk_id) or "kiosk"
    machine = f"-{install[:8]}" if install else ""
    stem = f"wuxiao-bundle-{kiosk}{machine}-{created:%Y%m%d-%H%M%S}"
    for n in itertools.count(1):
        candidate = path / (f"{stem}.zip" if n == 1 else f"{stem}-{n}.zip")
        if not candidate.exists():
            return candidate


def write_bundle_json(db, out, kiosk_id, created_at):
    """Stream bundle.json to out, one suggestion and one day at a time; return (suggestions, days)."""
    out.write(
        b'{"format":'
        + encode(FORMAT)
        + b',"kiosk_id":'
        + encode(kiosk_id)
        + b',"created_at":'
        + encode(created_at)
        + b',"suggestions":['
    )
    n = 0
    for n, suggestion in enumerate(outbox.every_suggestion(db), 1):
        out.write((b",\n" if n > 1 else b"\n") + encode(suggestion))
    out.write(b'],"stats":[')
    d = 0
    for d, (day, event_id, counters) in enumerate(stats.days(db), 1):
        out.write((b",\n" if d > 1 else b"\n") + encode({"date": day, **stats.body(event_id, counters)}))
    out.write(b"]}\n")
    return n, d


def export(db, kiosk_id, path, install=None):
    """Write a bundle to path (a file, or a folder to put a dated file in); return its Summary.

    The zip appears under its name only when complete and synced to the device (a USB stick may be pulled)."""
    created = clock.now()
    final = target(path, kiosk_id, created, install)
    temporary = final.with_name(f".{final.name}.{os.getpid()}.part")
    # One read transaction: the whole bundle is one snapshot even while visitors keep writing.
    db.execute("BEGIN")
    try:
        with open(temporary, "wb") as f:
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                with zf.open(clock.zip_entry("bundle.json"), "w", force_zip64=True) as raw:
                    out = HashingWriter(raw)
                    counted = write_bundle_json(db, out, kiosk_id, created.isoformat(timespec="seconds"))
                digest = out.hash.hexdigest()
                zf.writestr(clock.zip_entry("SHA256SUMS"), f"{digest}  bundle.json\n")
                if install:
                    # Beside the contract's two files, which a receiver reads alone: the installation, so that
                    # central can notice two PCs under one kiosk id (as the Kiosk-Install header does online).
                    zf.writestr(clock.zip_entry(INSTALL_MEMBER), f"{install}\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, final)
        sync_folder(final.parent)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        db.conn.rollback()
    return Summary(final, *counted, digest)


def sync_folder(folder):
    """Flush a folder's entries to the device, so the renamed file survives the stick being pulled."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
