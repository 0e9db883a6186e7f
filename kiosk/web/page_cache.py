"""Rendered visitor pages kept in memory on the app: the same for every visitor until the catalogue changes."""

import functools
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path

from flask import current_app, make_response, request

from kiosk.web.lan import public_url

STAMP_FILE = "catalogue.stamp"
# Short enough that a media file damaged on disk shows its placeholder within seconds.
TTL_SECONDS = 10
MAX_ENTRIES = 512
EXTENSION = "kiosk.page_cache"


class PageCache:
    """Rendered pages by key, the oldest dropped first past MAX_ENTRIES."""

    def __init__(self):
        """Start empty."""
        self.pages = OrderedDict()
        self.lock = threading.Lock()
        self.generation = 0  # a page rendered before clear() is kept under the old one, and never served

    def get(self, key, stamp, now):
        """Return (body, content type) kept for key under this catalogue stamp and still fresh, or None."""
        with self.lock:
            hit = self.pages.get(key)
            if hit and hit[0] == stamp and hit[1] > now:
                self.pages.move_to_end(key)
                return hit[2], hit[3]
        return None

    def clear(self):
        """Forget every page, and any page being rendered now."""
        with self.lock:
            self.generation += 1
            self.pages.clear()

    def put(self, key, stamp, now, body, content_type):
        """Keep a rendered page for TTL_SECONDS."""
        with self.lock:
            self.pages[key] = (stamp, now + TTL_SECONDS, body, content_type)
            while len(self.pages) > MAX_ENTRIES:
                self.pages.popitem(last=False)


def catalogue_changed(instance_path):
    """Mark the catalogue as changed (a pack was imported): cached pages are dropped."""
    stamp = Path(instance_path) / STAMP_FILE
    stamp.touch()
    os.utime(stamp, ns=(time.time_ns(), time.time_ns()))


def drop_pages(app):
    """Forget this app's rendered pages (a setting they show changed, such as the idle time)."""
    app.extensions[EXTENSION].clear()


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
            cache = current_app.extensions[EXTENSION]
            key = (
                request.full_path,
                *(request.headers.get(h) for h in ("HX-Request", "HX-Boosted", "HX-Target")),
                vary(),
                public_url(current_app.config),  # pages hold QR codes of the LAN address, which can change
            )
            stamp, now = (_stamp(), cache.generation), time.monotonic()
            hit = cache.get(key, stamp, now)
            if hit:
                return make_response(fill(hit[0]) if fill else hit[0], 200, {"Content-Type": hit[1]})
            response = make_response(view(*args, **kwargs))
            if response.status_code == 200 and not response.direct_passthrough:
                body = response.get_data()
                cache.put(key, stamp, now, body, response.content_type)
                if fill:
                    response.set_data(fill(body))
            return response

        return wrapper

    return decorator


def init_app(app):
    """Give the app its own page cache."""
    app.extensions[EXTENSION] = PageCache()
