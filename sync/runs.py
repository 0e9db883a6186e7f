"""The record of sync runs: when each started and finished, how it ended, and what it did."""

import json
from contextlib import contextmanager

from kiosk.clock import timestamp as now
from sync import lock


def start(db, kind):
    """Record that a run of this kind (push, pull, export) starts; return its id."""
    with db.atomic():
        cursor = db.execute("INSERT INTO sync_runs (kind, started_at) VALUES (?, ?)", [kind, now()])
    return cursor.lastrowid


def finish(db, run_id, result, message="", counts=None):
    """Record how a run ended: ok, incomplete, unreachable, stopped or interrupted."""
    with db.atomic():
        db.execute(
            "UPDATE sync_runs SET finished_at = ?, result = ?, message = ?, counts = ? WHERE id = ?",
            [now(), result, message, json.dumps(counts or {}, ensure_ascii=False), run_id],
        )


def last(db, kind=None):
    """Return the latest run (of a kind, if given) as a dict with counts parsed, or None."""
    where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
    cursor = db.execute(
        f"SELECT id, kind, started_at, finished_at, result, message, counts FROM sync_runs {where} "
        "ORDER BY id DESC LIMIT 1",
        params,
    )
    row = cursor.fetchone()
    if not row:
        return None
    run = dict(zip([d[0] for d in cursor.description], row))
    run["counts"] = json.loads(run["counts"] or "{}")
    return run


def last_failure(db):
    """Return the latest run that did not end ok, or None."""
    cursor = db.execute(
        "SELECT id, kind, finished_at, result, message FROM sync_runs "
        "WHERE result IS NOT NULL AND result != 'ok' ORDER BY id DESC LIMIT 1"
    )
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else None


@contextmanager
def recorded(db, folder, kind):
    """Hold the sync lock and record one run for the block; raise lock.Busy when another run holds it.

    Yields the run as a dict: set its result, message and counts; a block that raises ends `interrupted`
    unless it set a result first."""
    with lock.hold(folder):
        run = {"id": start(db, kind), "result": "interrupted", "message": "", "counts": {}}
        try:
            yield run
        finally:
            finish(db, run["id"], run["result"], run["message"], run["counts"])
