"""What keeps the screen whole when the server is away: a health answer for the page to poll, and the favicon."""

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("resilience", __name__)


@bp.get("/health")
def health():
    """Answer that the server is up: the page asks before it navigates and while it waits to reconnect."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.get("/favicon.ico")
def favicon():
    """Send the brand mark as the browser's tab icon (asked for at /favicon.ico by every browser)."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/x-icon", max_age=86400)
