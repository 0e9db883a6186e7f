"""The screen's heartbeat and the kiosk's health for its supervisor and staff: loopback only.

The kiosk screen's page calls /screen/alive every few seconds from a timer: a page whose main thread hangs
stops calling, and the screen supervisor restarts the browser."""

import time

from flask import Blueprint, abort, current_app, jsonify, request

from kiosk import clock
from kiosk.appliance import hours, rotation, update
from kiosk.db import get_db
from kiosk.staff import venue
from kiosk.web import lan
from kiosk.web.screen import is_loopback

bp = Blueprint("appliance", __name__)
LAST_BEAT = "kiosk.screen_alive"
SCREEN_SIZE = "kiosk.screen_size"


def seconds_since_beat():
    """Return the seconds since the screen's page last beat (monotonic), or None before its first beat."""
    last = current_app.extensions.get(LAST_BEAT)
    return None if last is None else round(time.monotonic() - last, 1)


def screen_state(clock_problem):
    """Return the screen's state for its page and supervisor: open now (opening hours), the hours, rotation.

    clock_problem: venue.clock_problem's answer, which the callers need too."""
    state = hours.screen_state(current_app.config, clock_problem)
    try:
        state["rotation"] = rotation.check(current_app.config.get("KIOSK_SCREEN_ROTATION", 0))
    except ValueError:
        state["rotation"] = 0
    state["size"] = current_app.extensions.get(SCREEN_SIZE)
    return state


def screen_state_now():
    """Return the screen's state, judging the clock here (for callers that need nothing else)."""
    return screen_state(venue.clock_problem(get_db()))


def note_size(args):
    """Keep the page's viewport (width×height in CSS pixels) the beat reports, so staff see the orientation."""
    try:
        width, height = int(args.get("w", "")), int(args.get("h", ""))
    except ValueError:
        return
    if 0 < width < 100_000 and 0 < height < 100_000:
        current_app.extensions[SCREEN_SIZE] = [width, height]


@bp.get("/screen/alive")
def alive():
    """Note a beat of the kiosk screen's page and answer whether the screen is open; phones get nothing here."""
    if not is_loopback():
        abort(404)
    current_app.extensions[LAST_BEAT] = time.monotonic()
    note_size(request.args)
    return jsonify(open=screen_state_now()["open"]), 200, {"Cache-Control": "no-store"}


@bp.get("/health.json")
def health_json():
    """Answer the kiosk's health as JSON: app, the screen's last beat, disk, the phones' address, the clock."""
    if not is_loopback():
        abort(404)
    clock_problem = venue.clock_problem(get_db())
    body = {
        "app": "ok",
        "screen_seconds_since_beat": seconds_since_beat(),
        "disk_free_bytes": venue.free_bytes(),
        "phones_url": lan.public_url(current_app.config),
        "phones_can_reach": lan.phones_can_reach(current_app.config),
        "clock": clock.timestamp(),
        "clock_wrong": clock_problem or None,
        "screen": screen_state(clock_problem),
        "version": update.running_version(),
    }
    return jsonify(body), 200, {"Cache-Control": "no-store"}
