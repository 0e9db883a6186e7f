"""Usage figures per day and achievement, counted in memory on the app and written in batches off the hot path.

The first count starts the app's writer thread, so figures are stored whatever WSGI server runs the app."""

import atexit
import threading
from collections import Counter

from flask import current_app

from kiosk.clock import today
from kiosk.db import connect, db_path

METRICS = (
    "detail_view",
    "video_play",
    "video_complete",
    "audio_play",
    "quiz_taken",
    "quiz_answered",
    "quiz_correct",
    "suggestion",
)
KIOSK_WIDE = ""
FLUSH_SECONDS = 5
EXTENSION = "kiosk.usage"


class Usage:
    """One app's counts not yet written, and the thread that writes them every few seconds."""

    def __init__(self, path, logger, every=FLUSH_SECONDS):
        """Start with nothing counted and no writer thread yet."""
        self.path, self.logger, self.every = path, logger, every
        self.pending = Counter()
        self.lock = threading.Lock()
        self.writer = None
        self.stop = threading.Event()

    def add(self, key, amount):
        """Add to one counter, starting the writer on the first count."""
        with self.lock:
            self.pending[key] += amount
            if self.writer is None:
                self.writer = threading.Thread(target=self._write_every, name="usage-flusher", daemon=True)
                self.writer.start()
                atexit.register(self.close)

    def flush(self):
        """Write the counts gathered so far into the database, adding them to each day's totals."""
        with self.lock:
            batch, self.pending = self.pending, Counter()
        if not batch:
            return 0
        db = connect(self.path)
        try:
            with db.atomic():
                db.conn.executemany(
                    "INSERT INTO usage_counts (day, event_id, achievement_id, metric, value) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (day, event_id, achievement_id, metric) DO UPDATE SET value = value + excluded.value",
                    [(*key, value) for key, value in batch.items()],
                )
        except Exception:
            with self.lock:
                self.pending.update(batch)
            raise
        finally:
            db.close()
        return len(batch)

    def _write_every(self):
        """Flush every few seconds until stopped; a failed write is kept for the next try."""
        while not self.stop.wait(self.every):
            try:
                self.flush()
            except Exception:
                self.logger.exception("写入使用统计失败，稍后重试")

    def close(self):
        """Stop the writer and write what is left (at exit)."""
        self.stop.set()
        try:
            self.flush()
        except Exception:
            self.logger.exception("退出时写入使用统计失败")


def count(metric, achievement_id=None, amount=1):
    """Add to today's counter for this kiosk's event, in memory: a page view never waits for the database."""
    if metric not in METRICS:
        raise ValueError(metric)
    key = (today(), current_app.config["KIOSK_EVENT_ID"], achievement_id or KIOSK_WIDE, metric)
    current_app.extensions[EXTENSION].add(key, amount)


def flush(app):
    """Write the app's counts gathered so far into the database; return how many counters were written."""
    return app.extensions[EXTENSION].flush()


def init_app(app):
    """Give the app its counters (the writer starts with the first count)."""
    app.extensions[EXTENSION] = Usage(db_path(app), app.logger)


def daily_counts(db, day=None):
    """Return {(day, event_id, achievement_id or None, metric): value} as stored."""
    where, params = ("WHERE day = ?", [day]) if day else ("", [])
    return {
        (d, e, a or None, m): v
        for d, e, a, m, v in db.execute(
            f"SELECT day, event_id, achievement_id, metric, value FROM usage_counts {where}", params
        )
    }
