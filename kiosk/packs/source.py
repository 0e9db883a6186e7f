"""Open a pack from a folder or a zip, refusing symbolic links, escaping entries and zip bombs."""

import contextlib
import lzma
import os
import shutil
import stat
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from kiosk.packs.report import PACK_LEVEL

# A media pack barely compresses; an entry that shrank more than this is a bomb, not a pack.
MAX_RATIO = 100
RATIO_CHECK_ABOVE = 10 * 1000 * 1000


def _entry_problem(info):
    """Return why a zip entry is unacceptable, or None."""
    name = info.filename
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "压缩包条目会落到内容包之外（绝对路径）"
    if ".." in PurePosixPath(name).parts:
        return "压缩包条目会落到内容包之外（含 ..）"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "内容包中不允许符号链接"
    if info.file_size > RATIO_CHECK_ABOVE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        return "压缩比异常，疑似压缩炸弹"
    return None


def _check_zip(report, archive, max_unpacked):
    """Check every entry of a zip before anything is unpacked; return whether it may be unpacked."""
    total = packed = 0
    for info in archive.infolist():
        total, packed = total + info.file_size, packed + info.compress_size
        if reason := _entry_problem(info):
            report.error(PACK_LEVEL, info.filename, reason)
        elif info.flag_bits & 0x1:
            report.error(PACK_LEVEL, info.filename, "压缩包条目已加密，无法解压（请导出不加密的压缩包）")
    if total > max_unpacked:
        report.error(PACK_LEVEL, "(压缩包)", f"解压后大小 {total:,} 字节，超过上限 {max_unpacked:,} 字节")
    # Many entries each just under the per-entry threshold are a bomb too.
    elif total > RATIO_CHECK_ABOVE and total > MAX_RATIO * max(packed, 1):
        report.error(PACK_LEVEL, "(压缩包)", "压缩比异常，疑似压缩炸弹")
    return not report.errors


def _unpack(report, archive, target, max_unpacked):
    """Unpack a checked zip into target, stopping if the real bytes pass the limit."""
    written = 0
    for info in archive.infolist():
        dest = target.joinpath(*PurePosixPath(info.filename).parts)
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(dest, "wb") as out:
            while chunk := src.read(1024 * 1024):
                written += len(chunk)
                if written > max_unpacked:
                    report.error(PACK_LEVEL, "(压缩包)", f"解压后超过上限 {max_unpacked:,} 字节，疑似压缩炸弹")
                    return
                out.write(chunk)


def _find_root(folder):
    """Return the folder holding pack.json: the top, or a single wrapping folder."""
    if (folder / "pack.json").is_file():
        return folder
    entries = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and (entries[0] / "pack.json").is_file():
        return entries[0]
    return folder


def _check_symlinks(report, root):
    """Refuse any symbolic link inside a pack folder."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                report.error(PACK_LEVEL, str(path.relative_to(root)), "内容包中不允许符号链接")


@contextlib.contextmanager
def open_pack(report, source, scratch_dir, max_unpacked):
    """Yield the pack's root folder (None when it cannot be opened), unpacking a zip into scratch_dir."""
    source = Path(source)
    if source.is_dir():
        root = _find_root(source)
        # From the folder given, not the root: a wrapping folder that is itself a link counts too.
        _check_symlinks(report, source)
        yield root
        return
    if not source.is_file():
        report.error(PACK_LEVEL, str(source), "找不到内容包（应为文件夹或 .zip 文件）")
        yield None
        return
    if not zipfile.is_zipfile(source):
        report.error(PACK_LEVEL, source.name, "不是 zip 压缩包，也不是文件夹")
        yield None
        return
    Path(scratch_dir).mkdir(parents=True, exist_ok=True)
    target = Path(tempfile.mkdtemp(prefix="pack-", dir=scratch_dir))
    try:
        try:
            # Chinese Windows tools write GBK names without the UTF-8 flag; ASCII names read the same.
            with zipfile.ZipFile(source, metadata_encoding="gbk") as archive:
                if _check_zip(report, archive, max_unpacked):
                    _unpack(report, archive, target, max_unpacked)
        # ValueError: an entry name flagged UTF-8 that is not; RuntimeError: an encrypted entry.
        except (
            zipfile.BadZipFile,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
            zlib.error,
            lzma.LZMAError,
        ) as e:
            report.error(PACK_LEVEL, source.name, f"压缩包损坏，无法解压（{e.__class__.__name__}）")
        yield None if report.errors else _find_root(target)
    finally:
        shutil.rmtree(target, ignore_errors=True)
