"""Rendered visitor pages kept in memory: the same for every visitor until the catalogue changes."""
import functools
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from flask import current_app, make_response, request

STAMP_FILE = "catalogue.stamp"
# Short enough that a media file damaged on disk shows its placeholder within seconds.
TTL_SECONDS = 10
MAX_ENTRIES = 512

_pages = OrderedDict()
_lock = threading.Lock()


def catalogue_changed(instance_path):
    """Mark the catalogue as changed (a pack was imported): cached pages are dropped."""
    stamp = Path(instance_path) / STAMP_FILE
    stamp.touch()
    os.utime(stamp, ns=(time.time_ns(), time.time_ns()))


def _stamp():
    """Return the catalogue's change mark for this app."""
    try:
        return os.stat(os.path.join(current_app.instance_path, STAMP_FILE)).st_mtime_ns
    except OSError:
        return 0


def cached_page(vary, fill=None):
    """Cache a view's 200 answers per URL and per what vary() returns, until the catalogue changes.

    fill(body) -> body, if given, puts the per-visitor parts (tokens) into every answer, cached or not.
    """
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            key = (current_app.instance_path, request.full_path, request.headers.get("HX-Request"),
                   request.headers.get("HX-Target"), vary())
            stamp, now = _stamp(), time.monotonic()
            with _lock:
                hit = _pages.get(key)
                if hit and hit[0] == stamp and hit[1] > now:
                    _pages.move_to_end(key)
                    return make_response(fill(hit[2]) if fill else hit[2], 200, {"Content-Type": hit[3]})
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                body = response.get_data()
                with _lock:
                    _pages[key] = (stamp, now + TTL_SECONDS, body, response.content_type)
                    while len(_pages) > MAX_ENTRIES:
                        _pages.popitem(last=False)
                if fill:
                    response.set_data(fill(body))
            return response
        return wrapper
    return decorator
