"""Keeping a visitor's suggestion: durable before the receipt, numbered per kiosk and day, never twice."""

import threading
import uuid

from kiosk import clock
from kiosk.suggestions.rules import TEXT_FIELDS

RECEIPT_COLUMNS = "uuid, receipt_no, created_at, related_achievement_id"
# Writers queue here rather than in SQLite's busy handler, which sleeps up to 100 ms between tries.
_write_lock = threading.Lock()


def _receipt_where(conn, column, value):
    """Return the receipt fields of the suggestion whose column equals value, or None."""
    row = conn.execute(f"SELECT {RECEIPT_COLUMNS} FROM suggestions WHERE {column} = ?", [value]).fetchone()
    return dict(zip(("uuid", "receipt_no", "created_at", "related_achievement_id"), row)) if row else None


def find_receipt(db, suggestion_uuid):
    """Return a suggestion's receipt fields by uuid, or None."""
    return _receipt_where(db.conn, "uuid", suggestion_uuid)


def keep(db, data, *, kiosk_id, event_id, source, form_token, related_achievement_id=None, honeypot=False):
    """Store a checked suggestion and commit it; the same form sent twice is kept once. Return its receipt."""
    with _write_lock:
        return _keep(db.conn, data, kiosk_id, event_id, source, form_token, related_achievement_id, honeypot)


def _keep(conn, data, kiosk_id, event_id, source, form_token, related_achievement_id, honeypot):
    """Insert one suggestion in its own committed transaction, or return the one this form already made."""
    created = clock.now()
    day = created.date().isoformat()
    # IMMEDIATE takes the write lock first, so two kiosks' threads never draw the same receipt number.
    conn.execute("BEGIN IMMEDIATE")
    try:
        existing = _receipt_where(conn, "form_token", form_token)
        if existing:
            conn.execute("ROLLBACK")
            return existing
        # Numbered on from every earlier day with this month and day (another year, a clock reset to 1970):
        # a receipt number never repeats on this kiosk.
        seq = conn.execute(
            "SELECT COALESCE(MAX(receipt_seq), 0) + 1 FROM suggestions WHERE substr(receipt_day, 6) = ?",
            [day[5:]],
        ).fetchone()[0]
        row = {key: data[key] or None for key in TEXT_FIELDS}
        row.update(
            {
                "uuid": str(uuid.uuid4()),
                "form_token": form_token,
                "kiosk_id": kiosk_id,
                "event_id": event_id,
                "created_at": created.isoformat(timespec="seconds"),
                "source": source,
                "receipt_day": day,
                "receipt_seq": seq,
                "receipt_no": f"{created:%m%d}-{seq:03d}",
                "content": data["content"],
                "proposer_phone": data["proposer_phone"] or None,
                "related_achievement_id": related_achievement_id,
                "consent_authenticity": int(data["consent_authenticity"]),
                "consent_authorization": int(data["consent_authorization"]),
                "consent_contact": int(data["consent_contact"]),
                "moderation": "spam" if honeypot else "pending",
                "honeypot": int(honeypot),
            }
        )
        columns = ", ".join(row)
        conn.execute(f"INSERT INTO suggestions ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return {
        "uuid": row["uuid"],
        "receipt_no": row["receipt_no"],
        "created_at": row["created_at"],
        "related_achievement_id": related_achievement_id,
    }


# SQLite's answers when the disk is full, read-only or failing, or the database stays locked: try again later.
STORAGE_ERRORS = {"SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_LOCKED"}


def storage_trouble(error):
    """Return whether an error means storage cannot take the write now (not a bug in the kiosk)."""
    if isinstance(error, OSError):
        return True
    name = getattr(error, "sqlite_errorname", "") or ""
    return any(name.startswith(kind) for kind in STORAGE_ERRORS)
