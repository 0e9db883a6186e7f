"""§3 content packs: the zips in the packs folder, listed with their pack.json facts and served with Range."""

import json
import threading
import zipfile
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, abort, current_app, jsonify, send_file

from .checksums import sha256_hex
from .errors import log

bp = Blueprint("packs", __name__)


def read_pack_json(path):
    """Return pack.json from a zip: at its root, or inside its single top-level folder."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        member = "pack.json"
        tops = {name.split("/", 1)[0] for name in names}
        if member not in names and len(tops) == 1:
            member = f"{tops.pop()}/pack.json"
        if member not in names:
            raise ValueError("zip 中没有 pack.json")
        return json.loads(z.read(member).decode("utf-8-sig"))


def describe(path):
    """Return a pack's catalogue entry (without url) from its zip: pack_id, version, title, sha256, size."""
    meta = read_pack_json(path)
    facts = {key: meta.get(key) for key in ("pack_id", "version", "title")}
    if (
        not isinstance(facts["pack_id"], str)
        or not isinstance(facts["version"], int)
        or not isinstance(facts["title"], str)
    ):
        raise ValueError("pack.json 缺少 pack_id、version 或 title")
    return {**facts, "sha256": sha256_hex(path), "size": path.stat().st_size}


class Catalogue:
    """The packs folder, read again only for zips that are new or changed (hashing a pack takes a while)."""

    def __init__(self, folder):
        """Watch folder (None: offer no packs)."""
        self.folder = Path(folder) if folder else None
        self.known = {}
        self.lock = threading.Lock()

    def entries(self):
        """Return {file name: entry} for every usable zip in the folder, by file name."""
        if self.folder is None or not self.folder.is_dir():
            return {}
        found = {}
        with self.lock:
            for path in sorted(self.folder.glob("*.zip")):
                stamp = (path.name, path.stat().st_size, path.stat().st_mtime_ns)
                if stamp not in self.known:
                    try:
                        self.known[stamp] = describe(path)
                    except (OSError, ValueError, zipfile.BadZipFile) as e:
                        log.warning("pack %s skipped: %s", path.name, e)
                        self.known[stamp] = None
                if self.known[stamp] is not None:
                    found[path.name] = self.known[stamp]
        return found


def catalogue():
    """Return the app's pack catalogue."""
    return current_app.extensions["central_packs"]


@bp.get("/packs")
def list_packs():
    """List the packs on offer; each url is relative to the base URL."""
    packs = [{**entry, "url": f"api/v1/packs/{quote(name)}"} for name, entry in catalogue().entries().items()]
    return jsonify(packs=packs)


@bp.get("/packs/<name>")
def download(name):
    """Send one listed pack as a zip, honouring Range so a broken download resumes."""
    if name not in catalogue().entries():
        abort(404, f"没有名为 {name} 的内容包")
    return send_file(catalogue().folder / name, mimetype="application/zip", conditional=True, download_name=name)
