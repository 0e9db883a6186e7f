"""The outbox: suggestions as the contract's items, read in keyset pages, and central's answers recorded."""

from kiosk.clock import timestamp as now

STATES = ("pending", "delivered", "conflict", "invalid")
DELIVERED = ("created", "duplicate", "updated")
REFUSED = ("conflict", "invalid")
OPTIONAL_TEXT = (
    "title",
    "background",
    "key_problems",
    "scope",
    "feasibility",
    "expected_benefits",
    "related_achievement_id",
)
PROPOSER = ("name", "unit", "phone")
PAGE = 500


def item(row):
    """Return a suggestion row as the contract's Suggestion: empty optional fields left out."""
    suggestion = {key: row[key] for key in ("uuid", "kiosk_id", "event_id", "created_at", "source", "content")}
    suggestion.update({key: row[key] for key in OPTIONAL_TEXT if row[key]})
    proposer = {key: row[f"proposer_{key}"] for key in PROPOSER if row[f"proposer_{key}"]}
    if proposer:
        suggestion["proposer"] = proposer
    suggestion["consent"] = {key: bool(row[f"consent_{key}"]) for key in ("authenticity", "authorization", "contact")}
    suggestion["moderation"] = row["moderation"]
    return suggestion


def _rows(cursor):
    """Yield a cursor's rows as dicts."""
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row))


def pending_page(db, after="", limit=PAGE):
    """Return up to limit pending suggestions after uuid `after`, in uuid order, as contract items."""
    cursor = db.execute(
        "SELECT s.* FROM outbox o JOIN suggestions s ON s.uuid = o.uuid "
        "WHERE o.state = 'pending' AND o.uuid > ? ORDER BY o.uuid LIMIT ?",
        [after, limit],
    )
    return [item(row) for row in _rows(cursor)]


def every_suggestion(db, page=PAGE):
    """Yield every suggestion as a contract item, whatever its state or moderation, one page in memory."""
    after = ""
    while True:
        rows = list(_rows(db.execute("SELECT * FROM suggestions WHERE uuid > ? ORDER BY uuid LIMIT ?", [after, page])))
        if not rows:
            return
        after = rows[-1]["uuid"]
        for row in rows:
            yield item(row)
        del rows  # before the next page is read, so only one page is ever held


def counts(db):
    """Return {state: number of suggestions} for every state."""
    found = dict(db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    return {state: found.get(state, 0) for state in STATES}


def record_failure(db, uuids, error):
    """Note a failed try on these items: one more attempt, and why it failed."""
    at = now()
    with db.atomic():
        db.conn.executemany(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, last_attempt_at = ? WHERE uuid = ?",
            [(str(error), at, u) for u in uuids],
        )


def record_results(db, sent, results):
    """Record central's answer for each item sent; return {status: count}.

    sent: the items as sent. An item whose moderation changed while it travelled stays pending."""
    by_uuid = {r.get("uuid"): r for r in results if isinstance(r, dict)}
    tally = {}
    at = now()
    with db.atomic():
        for suggestion in sent:
            answer = by_uuid.get(suggestion["uuid"])
            status = answer.get("status") if answer else None
            if status in DELIVERED:
                db.execute(
                    "UPDATE outbox SET state = CASE WHEN (SELECT moderation FROM suggestions s "
                    "WHERE s.uuid = outbox.uuid) IS ? THEN 'delivered' ELSE 'pending' END, "
                    "attempts = attempts + 1, last_error = NULL, last_attempt_at = ?, central_status = ?, "
                    "central_error = NULL, answered_at = ?, sent_moderation = ? WHERE uuid = ?",
                    [suggestion["moderation"], at, status, at, suggestion["moderation"], suggestion["uuid"]],
                )
            elif status in REFUSED:
                db.execute(
                    "UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = NULL, last_attempt_at = ?, "
                    "central_status = ?, central_error = ?, answered_at = ? WHERE uuid = ?",
                    [status, at, status, answer.get("error") or "", at, suggestion["uuid"]],
                )
            else:
                status = "unanswered"
                db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = ?, last_attempt_at = ? WHERE uuid = ?",
                    ["中央系统的回答里没有这条建议", at, suggestion["uuid"]],
                )
            tally[status] = tally.get(status, 0) + 1
    return tally


def refused(db, limit=20):
    """Return up to limit conflict and invalid suggestions with central's reasons, for staff."""
    cursor = db.execute(
        "SELECT o.uuid, o.state, o.central_error, o.answered_at, s.receipt_no, s.created_at, s.title, s.content "
        "FROM outbox o JOIN suggestions s ON s.uuid = o.uuid WHERE o.state IN ('conflict', 'invalid') "
        "ORDER BY o.answered_at DESC, o.uuid LIMIT ?",
        [limit],
    )
    return list(_rows(cursor))


def last_error(db):
    """Return the most recent failure noted on a still-pending suggestion, with when, or None."""
    row = db.execute(
        "SELECT last_error, last_attempt_at FROM outbox WHERE state = 'pending' "
        "AND last_error IS NOT NULL ORDER BY last_attempt_at DESC LIMIT 1"
    ).fetchone()
    return {"error": row[0], "at": row[1]} if row else None
