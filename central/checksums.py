"""The one sha256 central computes, for bundles, their members, packs and batch bodies alike."""

import hashlib


def sha256_hex(source):
    """Return the sha256 in hex of bytes, or of the file at a path (read in pieces, never whole)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return hashlib.sha256(source).hexdigest()
    with open(source, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
