"""What staff must know about the venue right now: phones cannot reach the kiosk, the clock is wrong, the disk fills."""

from flask import current_app

from kiosk import clock
from kiosk.db import get_db
from kiosk.web import lan


def venue_warnings():
    """Return the warnings to show on every staff page, in Chinese, each saying what to do."""
    warnings = []
    if not lan.phones_can_reach(current_app.config):
        warnings.append(lan.NO_LAN_ADVICE)
    published = [row[0] for row in get_db().execute("SELECT published_at FROM packs")]
    wrong = clock.wrong_clock(published)
    if wrong:
        warnings.append(f"{wrong}：时钟不对。{clock.WRONG_CLOCK_ADVICE}")
    return warnings


def init_app(app):
    """Give staff templates venue_warnings() and the address phones use."""
    app.context_processor(
        lambda: {"venue_warnings": venue_warnings, "phones_url": lambda: lan.public_url(current_app.config)}
    )
