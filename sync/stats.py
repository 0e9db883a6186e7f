"""Usage figures as the contract's day bodies: each day's whole count per event, read one day at a time."""

import hashlib

from kiosk.clock import timestamp as now
from sync.http import encode


def days(db):
    """Yield (day, event_id, counters) for every day and event in usage_counts, one day in memory."""
    groups = db.execute("SELECT DISTINCT day, event_id FROM usage_counts ORDER BY day, event_id").fetchall()
    for day, event_id in groups:
        rows = db.execute(
            "SELECT achievement_id, metric, value FROM usage_counts WHERE day = ? AND event_id = ? "
            "ORDER BY achievement_id, metric",
            [day, event_id],
        ).fetchall()
        # The kiosk keeps kiosk-wide figures under an empty id; the contract says null.
        yield day, event_id, [{"achievement_id": a or None, "metric": m, "value": max(0, v)} for a, m, v in rows]


def body(event_id, counters):
    """Return the PUT body for one day."""
    return {"event_id": event_id, "counters": counters}


def digest(base_url, payload):
    """Return a fingerprint of a day's body as sent to one central system."""
    return hashlib.sha256(base_url.encode() + b"\n" + encode(payload)).hexdigest()


def already_sent(db, day, event_id, fingerprint):
    """Return whether exactly this body was accepted for this day before."""
    row = db.execute("SELECT digest FROM stats_sent WHERE day = ? AND event_id = ?", [day, event_id]).fetchone()
    return bool(row) and row[0] == fingerprint


def mark_sent(db, day, event_id, fingerprint):
    """Remember that central accepted this body for this day."""
    with db.atomic():
        db.execute(
            "INSERT INTO stats_sent (day, event_id, digest, sent_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (day, event_id) DO UPDATE SET digest = excluded.digest, sent_at = excluded.sent_at",
            [day, event_id, fingerprint, now()],
        )
