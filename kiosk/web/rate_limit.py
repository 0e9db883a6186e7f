"""A per-client limit on submissions, kept in memory on the app: a phone may send a few, a script may not flood."""

import threading
import time
from collections import defaultdict, deque

from flask import current_app

EXTENSION = "kiosk.rate_limit"
FORGET_ABOVE = 10000


class RateLimit:
    """Recent attempts per client key, within a sliding window."""

    def __init__(self, clock=time.monotonic):
        """Start with no attempts."""
        self.clock = clock
        self.hits = defaultdict(deque)
        self.lock = threading.Lock()

    def retry_after(self, key, limit, window):
        """Record one attempt for key; return 0 when allowed, else seconds until the next is allowed."""
        now = self.clock()
        with self.lock:
            hits = self.hits[key]
            while hits and hits[0] <= now - window:
                hits.popleft()
            if len(hits) >= limit:
                return max(1, int(hits[0] + window - now + 0.999))
            hits.append(now)
            if len(self.hits) > FORGET_ABOVE:
                for stale in [k for k, v in self.hits.items() if not v or v[-1] <= now - window]:
                    del self.hits[stale]
            return 0


def retry_after(key, limit, window):
    """Record one attempt for key against this app's limit; return 0 when allowed, else seconds to wait."""
    return current_app.extensions[EXTENSION].retry_after(key, limit, window)


def init_app(app):
    """Give the app its own record of attempts."""
    app.extensions[EXTENSION] = RateLimit()
