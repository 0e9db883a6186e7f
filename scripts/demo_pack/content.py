"""The demo pack's text and per-achievement parameters, read from content.json (edit that file, not code)."""

import json
from functools import lru_cache
from pathlib import Path

CONTENT = Path(__file__).with_name("content.json")


@lru_cache(maxsize=1)
def content():
    """Return the pack's metadata, its achievements and the general quiz questions, as written in content.json."""
    data = json.loads(CONTENT.read_text(encoding="utf-8"))
    for achievement in data["achievements"]:
        # Pillow takes colours as tuples, not lists.
        achievement["_palette"] = tuple(tuple(colour) for colour in achievement["_palette"])
    return data
