"""The screen's heartbeat and the kiosk's health for its supervisor and staff: loopback only.

The kiosk screen's page calls /screen/alive every few seconds from a timer: a page whose main thread hangs
stops calling, and the screen supervisor restarts the browser."""

import time

from flask import Blueprint, abort, current_app, jsonify

from kiosk import clock
from kiosk.db import get_db
from kiosk.staff import venue
from kiosk.web import lan
from kiosk.web.screen import is_loopback

bp = Blueprint("appliance", __name__)
LAST_BEAT = "kiosk.screen_alive"


def seconds_since_beat():
    """Return the seconds since the screen's page last beat (monotonic), or None before its first beat."""
    last = current_app.extensions.get(LAST_BEAT)
    return None if last is None else round(time.monotonic() - last, 1)


@bp.get("/screen/alive")
def alive():
    """Note a beat of the kiosk screen's page; phones get nothing here."""
    if not is_loopback():
        abort(404)
    current_app.extensions[LAST_BEAT] = time.monotonic()
    return "", 204, {"Cache-Control": "no-store"}


@bp.get("/health.json")
def health_json():
    """Answer the kiosk's health as JSON: app, the screen's last beat, disk, the phones' address, the clock."""
    if not is_loopback():
        abort(404)
    body = {
        "app": "ok",
        "screen_seconds_since_beat": seconds_since_beat(),
        "disk_free_bytes": venue.free_bytes(),
        "phones_url": lan.public_url(current_app.config),
        "phones_can_reach": lan.phones_can_reach(current_app.config),
        "clock": clock.timestamp(),
        "clock_wrong": venue.clock_problem(get_db()) or None,
    }
    return jsonify(body), 200, {"Cache-Control": "no-store"}
