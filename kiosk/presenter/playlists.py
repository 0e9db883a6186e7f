"""Each event's 路演 playlist, kept in the database: the winners picked, in order; award order until one is kept."""

from kiosk.catalogue.achievements import list_achievements


def winners_in_award_order(db):
    """Return every winner's id in the order home shows them."""
    return [a["id"] for a in list_achievements(db)]


def load(db, event_id):
    """Return the event's playlist (ids of winners still installed), or every winner in award order."""
    known = set(winners_in_award_order(db))
    rows = db.execute(
        "SELECT achievement_id FROM presenter_playlists WHERE event_id = ? ORDER BY position", [event_id]
    ).fetchall()
    kept = [r[0] for r in rows if r[0] in known]
    return kept or winners_in_award_order(db)


def save(db, event_id, ids):
    """Replace the event's playlist with these winners, in this order (unknown ids and repeats dropped)."""
    known = set(winners_in_award_order(db))
    picked = list(dict.fromkeys(i for i in ids if i in known))
    with db.conn:
        db.execute("DELETE FROM presenter_playlists WHERE event_id = ?", [event_id])
        db.conn.executemany(
            "INSERT INTO presenter_playlists (event_id, position, achievement_id) VALUES (?, ?, ?)",
            [(event_id, n, i) for n, i in enumerate(picked)],
        )
    return picked
