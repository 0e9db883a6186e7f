"""Check the media a pack names: present, of the stated format, complete; and report guideline misses."""

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

from kiosk.media import probe as media_probe
from kiosk.media.photos import PhotoError, make_derivatives
from kiosk.media.store import file_sha256
from kiosk.packs.rules import path_problem

MB = 1_000_000
# Pillow names a JPEG that carries an MPF second picture (many phones and cameras write one) "MPO".
JPEG_FORMATS = ("JPEG", "MPO")


def _entries(achievement, key):
    """Yield (index, entry) for the well-formed objects of one media list."""
    value = achievement.get(key)
    for i, entry in enumerate(value if isinstance(value, list) else []):
        if isinstance(entry, dict):
            yield i, entry


def media_references(achievement):
    """Yield (field, path, kind) for every well-formed media path an achievement names."""
    refs = [(f"photos[{i}].file", e.get("file"), "photo") for i, e in _entries(achievement, "photos")]
    for i, video in _entries(achievement, "videos"):
        refs.append((f"videos[{i}].file", video.get("file"), "video"))
        refs.append((f"videos[{i}].poster", video.get("poster"), "poster"))
    refs += [(f"audio[{i}].file", e.get("file"), "audio") for i, e in _entries(achievement, "audio")]
    return [(field, path, kind) for field, path, kind in refs if path_problem(path) is None]


def resolve(root, relpath):
    """Return the pack file for relpath, or None when it is missing or not a plain file."""
    path = Path(root).joinpath(*relpath.split("/"))
    return path if path.is_file() and not path.is_symlink() else None


def _probe(path, kind, sha256, store):
    """Read a file's real format and facts; make photo derivatives; raise on a bad file."""
    if kind in ("photo", "poster"):
        targets = {v: store.derived(sha256, v) for v in ("screen", "thumb")}
        facts = make_derivatives(path, targets)
        mime = "image/jpeg" if facts["format"] in JPEG_FORMATS else Image.MIME.get(facts["format"])
        return "image", mime or "application/octet-stream", facts
    if kind == "video":
        return "video", "video/mp4", media_probe.probe_mp4(path)
    return "audio", "audio/mpeg", media_probe.probe_mp3(path)


def _family(kind):
    """Return the stored kind of a reference kind: photos and posters are both images."""
    return "image" if kind in ("photo", "poster") else kind


def known_files(db):
    """Return {sha256: (kind, mime, probe text)} of every file imported before, read once for a whole pack."""
    return {row[0]: (row[1], row[2], row[3]) for row in db.execute("SELECT sha256, kind, mime, probe FROM media_files")}


def _cached(known, sha256, kind, store):
    """Return the stored facts for a file already imported once, or None."""
    row = known.get(sha256)
    wanted = _family(kind)
    if not row or row[0] != wanted:
        return None
    if wanted == "image" and not all(store.derived(sha256, v).exists() for v in ("screen", "thumb")):
        return None
    return row[0], row[1], json.loads(row[2])


def check_file(known, store, root, relpath, kind):
    """Return the stored description of one pack file, or a Chinese reason why it is refused.

    known: known_files(db). It touches no database, so several files are checked at once in threads."""
    path = resolve(root, relpath)
    if path is None:
        return None, f"内容包中没有这个文件：{relpath}"
    sha256 = file_sha256(path)
    found = _cached(known, sha256, kind, store)
    if found is None:
        try:
            found = _probe(path, kind, sha256, store)
        except PhotoError as e:
            return None, str(e)
        except media_probe.ProbeError as e:
            return None, f"{e}（{relpath}）"
    stored_kind, mime, facts = found
    return {
        "sha256": sha256,
        "size": path.stat().st_size,
        "kind": stored_kind,
        "mime": mime,
        "probe": facts,
        "source": path,
    }, None


def guideline_warnings(kind, described):
    """Yield the warnings a well-formed file still earns against the seeds' guidelines."""
    facts, size = described["probe"], described["size"]
    if kind == "photo":
        if facts.get("format") not in JPEG_FORMATS:
            yield f"照片不是 JPEG 格式（{facts.get('format')}），已导入"
        if not facts.get("dpi") or facts["dpi"] < 300:
            yield f"照片分辨率低于 300 dpi（{facts.get('dpi') or '未标注'}）"
        if size < MB:
            yield f"照片小于 1 MB（{size / MB:.2f} MB）"
        elif size > 10 * MB:
            yield f"照片大于 10 MB（{size / MB:.1f} MB）"
    elif kind == "video":
        if (facts.get("width"), facts.get("height")) != (1920, 1080):
            yield f"视频不是 1920×1080（{facts.get('width')}×{facts.get('height')}）"
        if facts.get("duration", 0) > 300:
            yield f"视频长于 5 分钟（{facts['duration'] / 60:.1f} 分钟）"
        if facts.get("video_codec") != "h264":
            yield f"视频编码不是 H.264（{facts.get('video_codec')}）"
        if not facts.get("faststart"):
            yield "视频的 moov 在 mdat 之后（未做 faststart），浏览器须先取到文件末尾才能播放"


def workers():
    """Return how many files to check at once: one per CPU this process may run on."""
    return max(1, len(os.sched_getaffinity(0)))


def check_media(report, db, store, root, achievements, progress=None):
    """Check every media file the (label, achievement) pairs name; return {relpath: description}.

    Files are hashed, probed and made into derivatives on every CPU at once (hashlib and Pillow let go of
    the GIL while they work); the report is written in the pack's order all the same."""
    references = [
        (aid, field, relpath, kind) for aid, a in achievements for field, relpath, kind in media_references(a)
    ]
    known = known_files(db)
    with ThreadPoolExecutor(workers(), thread_name_prefix="pack-check") as pool:
        checks = {}
        for _, _, relpath, kind in references:
            # A file named both as a photo and as a video must pass both checks, so the key holds the family.
            key = (relpath, _family(kind))
            if key not in checks:
                checks[key] = pool.submit(check_file, known, store, root, relpath, kind)
        results = {}
        for key, future in checks.items():
            results[key] = future.result()
            if progress:
                progress(key[0])
    described = {}
    for aid, field, relpath, kind in references:
        item, reason = results[(relpath, _family(kind))]
        if reason:
            report.error(aid, field, reason)
            continue
        described[(relpath, _family(kind))] = item
        for warning in guideline_warnings(kind, item):
            report.warning(aid, field, warning)
    return {relpath: item for (relpath, _), item in described.items()}


def count_references(achievements):
    """Return how many distinct media files the achievements name (for a progress bar)."""
    return len({(path, _family(kind)) for a in achievements for _, path, kind in media_references(a)})
