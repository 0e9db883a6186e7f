"""Which browser asks: the kiosk's own touchscreen (idle reset, no rate limit) or a visitor's phone."""

import ipaddress

from flask import current_app, request

SCREEN_COOKIE = "kiosk_screen"
TEN_YEARS = 10 * 365 * 86400


def is_loopback():
    """Return whether the request comes from this machine (the kiosk's own screen)."""
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def is_kiosk_screen():
    """Return whether this browser is the kiosk's own touchscreen (idle reset applies), not a phone.

    Decided by the loopback address, which a phone cannot forge; the cookie can only make a loopback browser
    a phone (tests and benchmarks), never make a phone the kiosk screen."""
    return is_loopback() and request.cookies.get(SCREEN_COOKIE) != "0"


def mark_kiosk_screen(response):
    """Clear a loopback browser's phone mark (it showed the attract loop); on a phone the cookie means nothing."""
    response.set_cookie(SCREEN_COOKIE, "1", max_age=TEN_YEARS, samesite="Lax", httponly=True)
    return response


def screen_settings():
    """Give every template the idle settings and whether this is the kiosk screen."""
    return {
        "kiosk_screen": is_kiosk_screen(),
        "idle_seconds": current_app.config["KIOSK_IDLE_SECONDS"],
        "idle_warning_seconds": current_app.config["KIOSK_IDLE_WARNING_SECONDS"],
    }
