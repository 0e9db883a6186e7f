"""Usage events the browser reports: media played, half way, finished; the kiosk screen's visit ended."""

from flask import Blueprint, jsonify, request

from kiosk.db import get_db
from kiosk.exhibits import usage, visits
from kiosk.web import rate_limit
from kiosk.web.csrf import csrf_token
from kiosk.web.screen import is_kiosk_screen

bp = Blueprint("events", __name__, url_prefix="/events")
BROWSER_METRICS = ("video_play", "video_half", "video_complete", "audio_play", "audio_half", "audio_complete")
VISIT_START, VISIT_END = "visit_start", "visit_end"
# A page reports a few events a minute; a phone sending more is refused (the kiosk screen is not limited).
PHONE_EVENTS_PER_MINUTE = 60


@bp.get("/token")
def token():
    """Give the page a CSRF token for its reports (the page itself is cached for everyone)."""
    response = jsonify(token=csrf_token())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("")
def record():
    """Count one reported event for an achievement; unknown ones are ignored, a flood from a phone refused."""
    if not is_kiosk_screen():
        wait = rate_limit.retry_after(("events", request.remote_addr), PHONE_EVENTS_PER_MINUTE, 60)
        if wait:
            return "", 429, {"Retry-After": str(wait)}
    metric, achievement_id = request.form.get("metric"), request.form.get("achievement", "")[:64]
    if metric == VISIT_END:
        if is_kiosk_screen():  # a phone's visit is its session; it has no idle reset to report
            visits.note(ended=True, vid=visits.visit_id(request.form.get("visit", "")))
        return "", 204
    known = get_db().execute("SELECT 1 FROM achievements WHERE id = ?", [achievement_id]).fetchone()
    if metric == VISIT_START:
        # A phone's first page came before its cookie: the page it landed on counts as viewed in this visit.
        visits.note()
        if known:
            visits.note_step("detail_view", achievement_id)
        return "", 204
    if metric in BROWSER_METRICS and known:
        usage.count_visit(metric, achievement_id)
    return "", 204
