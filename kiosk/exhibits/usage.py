"""Usage figures per day and achievement, counted in memory on the app and written in batches off the hot path.

The first count starts the app's writer thread, so figures are stored whatever WSGI server runs the app."""

import atexit
import threading
import time
from collections import Counter, OrderedDict

from flask import current_app, request

from kiosk.clock import today
from kiosk.db import connect, db_path
from kiosk.exhibits import visits
from kiosk.web.screen import is_kiosk_screen

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
# Counted for the staff dashboard only: the contract's list of metrics is closed, so these stay on the kiosk.
LOCAL_METRICS = ("video_half", "audio_half", "audio_complete")
QUESTION_METRICS = ("asked", "missed")
TABLES = {
    "usage_counts": ("day", "event_id", "achievement_id", "metric"),
    "local_counts": ("day", "event_id", "achievement_id", "metric"),
    "question_counts": ("day", "event_id", "achievement_id", "question", "metric"),
}
KIOSK_WIDE = ""
FLUSH_SECONDS = 5
EXTENSION = "kiosk.usage"
PHONE_EVENTS = "kiosk.usage_phone_events"
# A phone counts once per achievement and kind of event in this window, so a flood from one phone adds at most
# one to each figure every 10 minutes. The kiosk's own screen counts every event: it has a person in front of it.
PHONE_WINDOW_SECONDS = 600
REMEMBERED_PHONE_EVENTS = 50_000


class PhoneEvents:
    """When each phone last counted each event, on the monotonic clock, the oldest forgotten first."""

    def __init__(self):
        """Start with nothing seen."""
        self.seen = OrderedDict()
        self.lock = threading.Lock()

    def first_in_window(self, key, now, window=PHONE_WINDOW_SECONDS):
        """Return True when key was not counted within the window before now (and remember now), else False."""
        with self.lock:
            last = self.seen.get(key)
            if last is not None and now - last < window:
                return False
            self.seen.pop(key, None)
            self.seen[key] = now
            while len(self.seen) > REMEMBERED_PHONE_EVENTS:
                self.seen.popitem(last=False)
            return True


class Usage:
    """One app's counts not yet written, and the thread that writes them every few seconds."""

    def __init__(self, path, logger, visits, every=FLUSH_SECONDS):
        """Start with nothing counted and no writer thread yet; visits are written with the counts."""
        self.path, self.logger, self.visits, self.every = path, logger, visits, every
        self.pending = Counter()
        self.lock = threading.Lock()
        self.writer = None
        self.stop = threading.Event()

    def add(self, key, amount, table="usage_counts"):
        """Add to one counter of a table, starting the writer on the first count."""
        with self.lock:
            self.pending[(table, *key)] += amount
        self.start_writer()

    def start_writer(self):
        """Start the thread that writes every few seconds, once."""
        with self.lock:
            if self.writer is None:
                self.writer = threading.Thread(target=self._write_every, name="usage-flusher", daemon=True)
                self.writer.start()
                atexit.register(self.close)

    def flush(self):
        """Write the counts gathered so far into the database, adding them to each day's totals."""
        with self.lock:
            batch, self.pending = self.pending, Counter()
        rows, steps = self.visits.take()
        if not batch and not rows and not steps:
            return 0
        db = connect(self.path)
        try:
            with db.atomic():
                for table, columns in TABLES.items():
                    names = ", ".join(columns)
                    db.conn.executemany(
                        f"INSERT INTO {table} ({names}, value) VALUES ({', '.join('?' * (len(columns) + 1))}) "
                        f"ON CONFLICT ({names}) DO UPDATE SET value = value + excluded.value",
                        [(*key[1:], value) for key, value in batch.items() if key[0] == table],
                    )
                self.visits.write(db, rows, steps)
        except Exception:
            with self.lock:
                self.pending.update(batch)
            self.visits.give_back(rows, steps)
            raise
        finally:
            db.close()
        return len(batch) + len(rows) + len(steps)

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
    """Add to today's counter for this kiosk's event and note the visit's step: a page never waits for the database."""
    visits.note_step(metric, achievement_id)
    add(metric, achievement_id, amount)


def add(metric, achievement_id=None, amount=1):
    """Add to today's counter for this kiosk's event, in memory."""
    if metric not in METRICS + LOCAL_METRICS:
        raise ValueError(metric)
    key = (today(), current_app.config["KIOSK_EVENT_ID"], achievement_id or KIOSK_WIDE, metric)
    current_app.extensions[EXTENSION].add(key, amount, "usage_counts" if metric in METRICS else "local_counts")


def count_question(achievement_id, question, right):
    """Count one answered quiz question for the dashboard's most-missed list (kept by its text)."""
    key = (today(), current_app.config["KIOSK_EVENT_ID"], achievement_id, question)
    current_app.extensions[EXTENSION].add((*key, "asked"), 1, "question_counts")
    if not right:
        current_app.extensions[EXTENSION].add((*key, "missed"), 1, "question_counts")


def count_visit(metric, achievement_id):
    """Count a visitor's event: always on the kiosk screen, once per window from a phone; return whether counted."""
    visits.note_step(metric, achievement_id)
    if not is_kiosk_screen():
        key = (request.remote_addr, achievement_id, metric)
        if not current_app.extensions[PHONE_EVENTS].first_in_window(key, time.monotonic()):
            return False
    add(metric, achievement_id)
    return True


def flush(app):
    """Write the app's counts gathered so far into the database; return how many counters were written."""
    return app.extensions[EXTENSION].flush()


def init_app(app):
    """Give the app its counters and visits (the writer starts with the first) and its memory of phones' events."""
    visits.init_app(app)
    app.extensions[EXTENSION] = Usage(db_path(app), app.logger, app.extensions[visits.EXTENSION])
    app.extensions[PHONE_EVENTS] = PhoneEvents()


def daily_counts(db, day=None):
    """Return {(day, event_id, achievement_id or None, metric): value} as stored."""
    where, params = ("WHERE day = ?", [day]) if day else ("", [])
    return {
        (d, e, a or None, m): v
        for d, e, a, m, v in db.execute(
            f"SELECT day, event_id, achievement_id, metric, value FROM usage_counts {where}", params
        )
    }
