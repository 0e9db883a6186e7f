"""Where imported media live: originals by checksum, untouched, and photo derivatives beside them."""

import hashlib
import os
import shutil
import threading
from pathlib import Path

MEDIA_DIR = "media"


class MediaStore:
    """A content-addressed folder of media files under the instance folder."""

    def __init__(self, instance_path):
        self.root = Path(instance_path) / MEDIA_DIR

    def original(self, sha256):
        """Return the path of the original file with this checksum."""
        return self.root / "files" / sha256[:2] / sha256

    def derived(self, sha256, variant):
        """Return the path of a photo derivative (screen or thumb)."""
        return self.root / "derived" / sha256[:2] / f"{sha256}-{variant}.jpg"

    def keep(self, src, sha256):
        """Copy src into the store under its checksum unless it is already there."""
        dest = self.original(sha256)
        if dest.exists() and dest.stat().st_size == Path(src).stat().st_size:
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f"{dest.name}.{threading.get_ident()}.tmp")  # threads may keep one file twice
        shutil.copyfile(src, tmp)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        return dest


def file_sha256(path):
    """Return the hex sha256 of a file, read in chunks."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
