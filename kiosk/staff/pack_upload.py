"""Receiving a zipped pack uploaded from a staff browser: streamed to a file in the instance folder, never held in
memory, after checking its size against the limit and the free disk space; anything else refused in Chinese."""

import contextlib
import secrets
import shutil
import threading
import zipfile
from pathlib import Path

from flask import request
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

FIELD = "pack"
PREFIX = "upload-"
FORM_MEMORY = 1024 * 1024
RECEIVING = "kiosk.pack_upload.receiving"
BUSY = "另一个内容包正在上传或导入，请等它完成后再试。"
# Room for the uploaded zip, its unpacked files and their copies in the media store, each about its size.
COPIES_NEEDED = 3
LAN_REFUSED = (
    "上传内容包只能在本机触摸屏上进行：局域网上的请求体限制为 128 KB，免得任何手机都能向本机塞入大文件。"
    "请在本机操作，或把内容包放在U盘上，用上面的“从U盘导入”。"
)


class Refused(Exception):
    """An upload the kiosk will not import; the message says why in Chinese, status is the HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def limit(config):
    """Return the largest upload taken: a pack may unpack to KIOSK_PACK_MAX_UNPACKED_BYTES, its zip is no larger."""
    return int(config["KIOSK_PACK_MAX_UNPACKED_BYTES"])


def size_text(n):
    """Return a byte count for people (1.5 GB, 300 MB)."""
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{max(n, 1e6) / 1e6:.0f} MB"


def scratch(instance_path):
    """Return the instance folder's scratch folder for uploads, made if missing."""
    folder = Path(instance_path) / "tmp"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clear_leftovers(folder):
    """Remove uploads a crash or power cut left behind (called while no import runs, so none is in use)."""
    for stale in folder.glob(PREFIX + "*"):
        stale.unlink(missing_ok=True)


def check_room(app, size):
    """Refuse an upload the disk has no room for, before a byte of it is kept."""
    if size is None:
        raise Refused("上传没有注明文件大小，请用本页的“上传并导入”按钮上传。", 411)
    if size > limit(app.config):
        raise Refused(f"文件太大（{size_text(size)}）：内容包最大 {size_text(limit(app.config))}。", 413)
    free = shutil.disk_usage(app.instance_path).free
    needed = size * COPIES_NEEDED + app.config["KIOSK_DISK_WARN_MB"] * 1_000_000
    if free < needed:
        raise Refused(
            f"本机可用空间不足：导入这个 {size_text(size)} 的内容包约需 {size_text(needed)}，现在只剩 "
            f"{size_text(free)}。请先移除不用的内容包或请技术人员腾出空间；已安装的内容不受影响。",
            507,
        )


@contextlib.contextmanager
def receiving(app):
    """Hold the one upload received at a time (through to its import's start); refuse a second meanwhile."""
    lock = app.extensions.setdefault(RECEIVING, threading.Lock())
    if not lock.acquire(blocking=False):
        raise Refused(BUSY, 409)
    try:
        yield
    finally:
        lock.release()


def receive(app):
    """Stream the uploaded pack into the instance folder; return (its path, the name it had). Raise Refused.

    Called within receiving() while no import runs, so the leftovers it clears first are no live upload's."""
    folder = scratch(app.instance_path)
    clear_leftovers(folder)
    check_room(app, request.content_length)
    request.max_content_length = limit(app.config)  # this request only: every other keeps the app's 128 KB
    kept = []

    def to_disk(total_content_length, content_type, filename, content_length=None):
        """Open a file in the scratch folder for one uploaded file (werkzeug writes it there as it arrives)."""
        kept.append(folder / f"{PREFIX}{secrets.token_hex(8)}.zip")
        return open(kept[-1], "w+b")

    def discard():
        """Remove every file this upload left."""
        for path in kept:
            path.unlink(missing_ok=True)

    # Werkzeug holds each read (64 KiB) and what is left of the last in one buffer checked against
    # max_form_memory_size, file parts included: it must be well above a read, or every real pack is refused.
    parser = FormDataParser(to_disk, max_form_memory_size=FORM_MEMORY, max_content_length=limit(app.config))
    try:
        _, _, files = parser.parse(request.stream, request.mimetype, request.content_length, request.mimetype_params)
    except (ClientDisconnected, RequestEntityTooLarge, OSError) as e:
        app.logger.warning("内容包上传没有完成：%r", e)
        discard()
        raise Refused("上传没有完成（连接中断或磁盘写满），请重新选择文件再上传。") from e
    upload = files.get(FIELD)
    for storage in files.values():
        storage.close()
    if upload is None or not upload.filename:
        discard()
        raise Refused("请先选择一个内容包文件（.zip）。")
    path = Path(upload.stream.name)
    for other in kept:
        if other != path:
            other.unlink(missing_ok=True)
    name = Path(upload.filename.replace("\\", "/")).name
    if not name.lower().endswith(".zip") or not zipfile.is_zipfile(path):
        path.unlink(missing_ok=True)
        raise Refused(
            f"“{name}”不是 .zip 内容包：请选择内容包的 .zip 文件（文件夹形式的内容包请放在U盘上，用“从U盘导入”）。"
        )
    return path, name
