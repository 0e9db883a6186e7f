"""Reading achievements for the screens: lists by award, filters, search, and one with its media."""

import json
from dataclasses import dataclass
from pathlib import Path

from flask import url_for

from kiosk.catalogue.search import search_clause
from kiosk.catalogue.vocabulary import AWARD_NAMES, AWARD_ORDER, AWARD_RANK_SQL, CATEGORIES, KINDS


@dataclass
class Media:
    """One photo, video or audio clip of an achievement, as the screens use it."""

    kind: str
    url: str
    title: str
    intact: bool
    screen_url: str = None
    thumb_url: str = None
    poster_url: str = None
    transcript: str = None
    duration: float = None


def media_url(pack_id, path, size=None):
    """Return the stable URL of a pack file (or of its screen/thumb derivative)."""
    url = url_for("media.pack_file", pack_id=pack_id, relpath=path)
    return f"{url}?size={size}" if size else url


def list_achievements(db, query="", kind=None, category=None):
    """Return matching achievements in award order, each with its first photo's thumbnail URL."""
    where, params = search_clause(query, "a.id")
    if kind in KINDS:
        where += " AND kind = ?"
        params.append(kind)
    if category in CATEGORIES:
        where += " AND category = ?"
        params.append(category)
    rows = db.execute(
        f"SELECT a.id, a.pack_id, a.title, a.unit, a.award, a.category, a.kind, "
        f"(SELECT path FROM achievement_media m WHERE m.achievement_id = a.id AND m.kind = 'photo' "
        f"ORDER BY position LIMIT 1) FROM achievements a WHERE {where} "
        f"ORDER BY {AWARD_RANK_SQL}, a.pack_id, a.position",
        params,
    ).fetchall()
    return [
        {
            "id": r[0],
            "title": r[2],
            "unit": r[3],
            "award": r[4],
            "award_name": AWARD_NAMES[r[4]],
            "category": r[5],
            "kind": r[6],
            "thumb_url": media_url(r[1], r[7], "thumb") if r[7] else None,
        }
        for r in rows
    ]


def group_by_award(achievements):
    """Return [(award, award name, achievements)] for the awards that have any, 一等奖 first."""
    return [
        (award, AWARD_NAMES[award], [a for a in achievements if a["award"] == award])
        for award in AWARD_ORDER
        if any(a["award"] == award for a in achievements)
    ]


def neighbours(db, achievement_id):
    """Return the (previous, next) winners of an achievement in home's order; None at either end."""
    ordered = list_achievements(db)
    index = next((i for i, a in enumerate(ordered) if a["id"] == achievement_id), None)
    if index is None:
        return None, None
    return (ordered[index - 1] if index > 0 else None), (ordered[index + 1] if index + 1 < len(ordered) else None)


def _file_state(db, store, pack_id, path):
    """Return (sha256, mime, probe, intact) for a pack file as it is on disk now."""
    row = db.execute(
        "SELECT m.sha256, m.mime, m.probe, m.size FROM pack_files f JOIN media_files m "
        "ON m.sha256 = f.sha256 WHERE f.pack_id = ? AND f.path = ?",
        [pack_id, path],
    ).fetchone()
    if row is None:
        return None, None, {}, False
    original = Path(store.original(row[0]))
    intact = original.is_file() and original.stat().st_size == row[3]
    if intact and row[1].startswith("image/"):
        intact = all(Path(store.derived(row[0], v)).is_file() for v in ("screen", "thumb"))
    return row[0], row[1], json.loads(row[2] or "{}"), intact


def _media(db, store, pack_id, achievement_id):
    """Return the achievement's media, in pack order, with whether each is intact on disk."""
    rows = db.execute(
        "SELECT kind, path, title, transcript, poster FROM achievement_media "
        "WHERE achievement_id = ? ORDER BY kind, position",
        [achievement_id],
    ).fetchall()
    items = []
    for kind, path, title, transcript, poster in rows:
        _, _, probe, intact = _file_state(db, store, pack_id, path)
        item = Media(
            kind, media_url(pack_id, path), title or "", intact, transcript=transcript, duration=probe.get("duration")
        )
        if kind == "photo":
            item.screen_url, item.thumb_url = media_url(pack_id, path, "screen"), media_url(pack_id, path, "thumb")
        if poster and _file_state(db, store, pack_id, poster)[3]:
            item.poster_url = media_url(pack_id, poster, "screen")
        items.append(item)
    return items


def get_achievement(db, store, achievement_id):
    """Return one achievement with its media and quiz size, or None."""
    cursor = db.execute("SELECT * FROM achievements WHERE id = ?", [achievement_id])
    row = cursor.fetchone()
    if row is None:
        return None
    a = dict(zip([c[0] for c in cursor.description], row))
    a["award_name"] = AWARD_NAMES[a["award"]]
    a["patents"] = json.loads(a["patents"] or "[]")
    a["completers"] = json.loads(a["completers"] or "[]")
    media = _media(db, store, a["pack_id"], a["id"])
    a["photos"] = [m for m in media if m.kind == "photo"]
    a["videos"] = [m for m in media if m.kind == "video"]
    a["audio"] = [m for m in media if m.kind == "audio"]
    a["quiz_count"] = db.execute("SELECT COUNT(*) FROM quiz_questions WHERE achievement_id = ?", [a["id"]]).fetchone()[
        0
    ]
    return a


def attract_slides(db, store):
    """Return the winners for the attract loop: title, award, unit, a clip or photos."""
    slides = []
    for a in list_achievements(db):
        full = get_achievement(db, store, a["id"])
        video = next((v for v in full["videos"] if v.intact), None)
        photo = next((p for p in full["photos"] if p.intact), None)
        slides.append(
            {**a, "video_url": video.url if video else None, "photo_url": photo.screen_url if photo else None}
        )
    return slides
