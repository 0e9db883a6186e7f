"""The /media/ routes: pack files by their path in the pack, and photo derivatives for screens."""

from flask import Blueprint, abort, current_app, request

from kiosk.db import get_db
from kiosk.media.ranges import send_media
from kiosk.media.store import MediaStore

bp = Blueprint("media", __name__, url_prefix="/media")
SIZES = ("screen", "thumb")


def find_pack_file(pack_id, relpath):
    """Return (sha256, mime, size) of an installed pack file, or None."""
    return (
        get_db()
        .execute(
            "SELECT f.sha256, m.mime, m.size FROM pack_files f JOIN media_files m ON m.sha256 = f.sha256 "
            "WHERE f.pack_id = ? AND f.path = ?",
            [pack_id, relpath],
        )
        .fetchone()
    )


def intact(path, size=None):
    """Return whether a stored file is there and, when known, of its recorded size."""
    try:
        actual = path.stat().st_size
    except OSError:
        return False
    return actual == size if size is not None else actual > 0


@bp.get("/<pack_id>/<path:relpath>")
def pack_file(pack_id, relpath):
    """Send a pack file as imported (or a photo resized with ?size=screen|thumb), with Range support."""
    found = find_pack_file(pack_id, relpath)
    size = request.args.get("size")
    if found is None or (size is not None and (size not in SIZES or not found[1].startswith("image/"))):
        abort(404, "找不到这个媒体文件")
    sha256, mime, length = found
    store = MediaStore(current_app.instance_path)
    max_age = current_app.config["KIOSK_MEDIA_MAX_AGE"]
    if size:
        path = store.derived(sha256, size)
        if not intact(path):
            abort(404, "这张图片已损坏或丢失")
        return send_media(path, "image/jpeg", f"{sha256}-{size}", max_age)
    path = store.original(sha256)
    if not intact(path, length):
        abort(404, "这个媒体文件已损坏或丢失")
    return send_media(path, mime, sha256, max_age)
