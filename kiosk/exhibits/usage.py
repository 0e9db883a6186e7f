"""Usage figures per day and achievement, counted in memory and written in batches off the hot path."""
import atexit
import datetime
import threading
from collections import Counter, defaultdict

from flask import current_app

from kiosk.db import connect, db_path

METRICS = ("detail_view", "video_play", "video_complete", "audio_play", "quiz_taken", "quiz_answered",
           "quiz_correct", "suggestion")
KIOSK_WIDE = ""
FLUSH_SECONDS = 5

# One counter per kiosk database (tests run several apps in one process).
_pending = defaultdict(Counter)
_lock = threading.Lock()


def today():
    """Return the kiosk clock's date, as the contract's `YYYY-MM-DD`."""
    return datetime.date.today().isoformat()


def count(metric, achievement_id=None, amount=1):
    """Add to today's counter for this kiosk's event, in memory: a page view never waits for the database."""
    if metric not in METRICS:
        raise ValueError(metric)
    key = (today(), current_app.config["KIOSK_EVENT_ID"], achievement_id or KIOSK_WIDE, metric)
    with _lock:
        _pending[current_app.instance_path][key] += amount


def flush(app):
    """Write the counts gathered so far into the database, adding them to each day's totals."""
    with _lock:
        batch = dict(_pending.pop(app.instance_path, {}))
    if not batch:
        return 0
    db = connect(db_path(app))
    try:
        with db.atomic():
            db.conn.executemany(
                "INSERT INTO usage_counts (day, event_id, achievement_id, metric, value) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (day, event_id, achievement_id, metric) DO UPDATE SET value = value + excluded.value",
                [(*key, value) for key, value in batch.items()])
    except Exception:
        with _lock:
            _pending[app.instance_path].update(batch)
        raise
    finally:
        db.close()
    return len(batch)


def start_flusher(app, every=FLUSH_SECONDS):
    """Flush counts every few seconds in a daemon thread, and once more at exit."""
    stop = threading.Event()

    def loop():
        while not stop.wait(every):
            try:
                flush(app)
            except Exception:
                app.logger.exception("写入使用统计失败，稍后重试")

    thread = threading.Thread(target=loop, name="usage-flusher", daemon=True)
    thread.start()
    atexit.register(lambda: (stop.set(), flush(app)))
    return stop


def daily_counts(db, day=None):
    """Return {(day, event_id, achievement_id or None, metric): value} as stored."""
    where, params = ("WHERE day = ?", [day]) if day else ("", [])
    return {(d, e, a or None, m): v for d, e, a, m, v in
            db.execute(f"SELECT day, event_id, achievement_id, metric, value FROM usage_counts {where}", params)}
