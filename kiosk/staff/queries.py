"""Staff's queries over visitors' suggestions: search, filter, count, page through and moderate."""

from kiosk.clock import timestamp
from kiosk.db import like_pattern

MODERATIONS = {"pending": "待审", "approved": "已通过", "spam": "垃圾"}
SOURCES = {"kiosk": "现场触摸屏", "phone": "手机"}
PER_PAGE = 50
SEARCHED = (
    "receipt_no",
    "title",
    "content",
    "background",
    "key_problems",
    "scope",
    "feasibility",
    "expected_benefits",
    "proposer_name",
    "proposer_unit",
    "proposer_phone",
)
# One text to search per row; char(31) keeps a term from matching across two fields.
HAYSTACK = " || char(31) || ".join(f"coalesce(s.{c}, '')" for c in SEARCHED)
ORDER = "s.created_at DESC, s.receipt_day DESC, s.receipt_seq DESC, s.uuid"


def where(q="", moderation=None):
    """Return the WHERE clause and its parameters: every word of q somewhere, and the moderation."""
    clauses, params = [], []
    for term in q.split()[:10]:
        clauses.append(f"({HAYSTACK}) LIKE ? ESCAPE '\\'")
        params.append(like_pattern(term))
    if moderation:
        clauses.append("s.moderation = ?")
        params.append(moderation)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def counts(db, q=""):
    """Return how many suggestions match q, in total and per moderation."""
    sql, params = where(q)
    found = dict(
        db.execute(f"SELECT s.moderation, COUNT(*) FROM suggestions s{sql} GROUP BY s.moderation", params).fetchall()
    )
    return {"all": sum(found.values()), **{m: found.get(m, 0) for m in MODERATIONS}}


def find(db, q="", moderation=None, limit=None, offset=0):
    """Return matching suggestions newest first, each with its related achievement's title."""
    sql, params = where(q, moderation)
    page = ""
    if limit is not None:
        page = " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    cursor = db.execute(
        "SELECT s.*, a.title AS achievement_title FROM suggestions s "
        f"LEFT JOIN achievements a ON a.id = s.related_achievement_id{sql} ORDER BY {ORDER}{page}",
        params,
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def get(db, uuid):
    """Return one suggestion with its related achievement's title, or None."""
    row = db.execute(
        "SELECT s.*, a.title AS achievement_title FROM suggestions s "
        "LEFT JOIN achievements a ON a.id = s.related_achievement_id WHERE s.uuid = ?",
        [uuid],
    )
    names = [d[0] for d in row.description]
    found = row.fetchone()
    return dict(zip(names, found)) if found else None


def set_moderation(db, uuid, moderation):
    """Record staff's decision on one suggestion and when it was made; return False when it is unknown."""
    if moderation not in MODERATIONS:
        raise ValueError(moderation)
    with db.conn:
        cursor = db.execute(
            "UPDATE suggestions SET moderation = ?, moderated_at = ? WHERE uuid = ?", [moderation, timestamp(), uuid]
        )
    return cursor.rowcount == 1
