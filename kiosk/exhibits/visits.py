"""Visits: on the kiosk screen from the first touch to the idle reset, on a phone its browsing session.

The page marks its visit with a cookie it sets itself, so cached pages stay shared by everyone. The server
notes when each visit was first and last seen on the monotonic clock and which steps it took for which
winner; the usage writer stores them in batches with the counts."""

import re
import threading
import time
from collections import OrderedDict

from flask import current_app, request

from kiosk import clock
from kiosk.web import rate_limit
from kiosk.web.screen import is_kiosk_screen

COOKIE = "kiosk_visit"
ID_PATTERN = re.compile(r"[0-9a-f]{16,32}")
EXTENSION = "kiosk.visits"
# The funnel's steps, from the events that make them.
STEPS = {
    "detail_view": "viewed",
    "video_half": "media",
    "audio_half": "media",
    "quiz_taken": "quiz",
    "suggestion": "suggested",
}
# Open visits remembered at once; a phone inventing ids pushes out only the oldest, each still stored.
REMEMBERED = 20_000
# Requests that are no visitor's doing: files, health polls, staff and presenter pages, the events' own route.
# New visits one phone address may start: a person starts one or two; a script inventing ids is held to this.
NEW_PHONE_VISITS = (10, 600)
IGNORED_PATHS = ("/static/", "/health", "/favicon", "/staff", "/present", "/remote", "/events")


class Visits:
    """The visits seen lately and what of them is not yet written."""

    def __init__(self):
        """Start with no visit."""
        self.open = OrderedDict()
        self.rows = {}
        self.steps = set()
        self.lock = threading.Lock()

    def seen(self, visit_id, place, event_id, now, ended=False):
        """Note a request of this visit at monotonic time now; a new id starts a visit at the wall clock's hour."""
        with self.lock:
            entry = self.open.get(visit_id)
            if entry is None:
                wall = clock.now()
                row = {
                    "visit_id": visit_id,
                    "event_id": event_id,
                    "place": place,
                    "day": wall.date().isoformat(),
                    "hour": wall.hour,
                    "started_at": wall.isoformat(timespec="seconds"),
                    "seconds": 0.0,
                    "ended": 0,
                }
                entry = self.open[visit_id] = {"first": now, "row": row}
                while len(self.open) > REMEMBERED:
                    self.open.popitem(last=False)
            else:
                self.open.move_to_end(visit_id)
            entry["row"]["seconds"] = round(max(0.0, now - entry["first"]), 1)
            if ended:
                entry["row"]["ended"] = 1
                self.open.pop(visit_id, None)
            self.rows[visit_id] = dict(entry["row"])

    def step(self, visit_id, achievement_id, step):
        """Note that the visit took a step for a winner."""
        with self.lock:
            self.steps.add((visit_id, achievement_id, step))

    def take(self):
        """Return and forget what is not yet written: (visit rows, steps)."""
        with self.lock:
            rows, steps, self.rows, self.steps = list(self.rows.values()), list(self.steps), {}, set()
        return rows, steps

    def give_back(self, rows, steps):
        """Keep what a failed write could not store, for the next try (newer rows win)."""
        with self.lock:
            for row in rows:
                self.rows.setdefault(row["visit_id"], row)
            self.steps.update(steps)

    def write(self, db, rows, steps):
        """Store visit rows (the longest length and an end win) and steps, inside the caller's transaction."""
        db.conn.executemany(
            "INSERT INTO visits (visit_id, event_id, place, day, hour, started_at, seconds, ended) "
            "VALUES (:visit_id, :event_id, :place, :day, :hour, :started_at, :seconds, :ended) "
            "ON CONFLICT (visit_id) DO UPDATE SET seconds = max(seconds, excluded.seconds), "
            "ended = max(ended, excluded.ended)",
            rows,
        )
        db.conn.executemany(
            "INSERT INTO visit_steps (visit_id, achievement_id, step) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", steps
        )


def visit_id(value=None):
    """Return this request's visit id (from its cookie unless given), or None when it has none or a malformed one."""
    value = request.cookies.get(COOKIE, "") if value is None else value
    return value if ID_PATTERN.fullmatch(value) else None


def note(ended=False, vid=None):
    """Note this request's visit (if it carries one) as seen now; ended closes a kiosk screen's visit."""
    vid = vid or visit_id()
    if vid is None:
        return None
    place = "screen" if is_kiosk_screen() else "phone"
    ledger = current_app.extensions[EXTENSION]
    if (
        place == "phone"
        and vid not in ledger.open
        and rate_limit.retry_after(("visit", request.remote_addr), *NEW_PHONE_VISITS)
    ):
        return None  # a phone inventing visits would inflate the figures: beyond its share they are not counted
    ledger.seen(vid, place, current_app.config["KIOSK_EVENT_ID"], time.monotonic(), ended=ended)
    current_app.extensions["kiosk.usage"].start_writer()
    return vid


def note_step(metric, achievement_id):
    """Note the funnel step an event makes for this request's visit, if it makes one and there is a visit."""
    vid = visit_id()
    if vid is None or metric not in STEPS or not achievement_id:
        return
    note(vid=vid)
    current_app.extensions[EXTENSION].step(vid, achievement_id, STEPS[metric])


def note_request(response):
    """Note every request of a visit (pages, media, answers) as the visit still going on."""
    if not request.path.startswith(IGNORED_PATHS):
        note()
    return response


def init_app(app):
    """Give the app its visits and note each request's visit after it is answered."""
    app.extensions[EXTENSION] = Visits()
    app.after_request(note_request)
