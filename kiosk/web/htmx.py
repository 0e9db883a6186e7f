"""What an htmx request asks for: a part of the page to swap, or (boosted navigation) the whole page."""

from flask import request


def wants_part(target):
    """Return whether htmx asked for the element with id target alone; a boosted link or form gets the whole page."""
    if not request.headers.get("HX-Request") or request.headers.get("HX-Boosted"):
        return False
    return request.headers.get("HX-Target") == target
