"""Staff sessions kept by the server: the cookie only names one, so ending it here ends it for good."""

import secrets
import threading

from kiosk import clock


class Sessions:
    """Signed-in staff by session id: when they signed in (Beijing time), last seen (monotonic), under which PIN."""

    def __init__(self):
        """Start with nobody signed in."""
        self.lock = threading.Lock()
        self.by_id = {}

    def begin(self, pin, at, idle_limit):
        """Open a session for the PIN with this fingerprint at monotonic time at; return its id."""
        sid = secrets.token_urlsafe(32)
        with self.lock:
            for stale in [s for s, e in self.by_id.items() if at - e["last_seen"] > idle_limit]:
                del self.by_id[stale]
            self.by_id[sid] = {"pin": pin, "last_seen": at, "since": clock.now()}
        return sid

    def touch(self, sid, pin, at, idle_limit):
        """Return the live session sid and mark it seen; end and return None if idle too long or the PIN changed."""
        with self.lock:
            entry = self.by_id.get(sid)
            if entry is None:
                return None
            if at - entry["last_seen"] > idle_limit or entry["pin"] != pin:
                del self.by_id[sid]
                return None
            entry["last_seen"] = at
            return dict(entry)

    def peek(self, sid):
        """Return the session sid without marking it seen, or None."""
        with self.lock:
            entry = self.by_id.get(sid)
            return dict(entry) if entry else None

    def end(self, sid):
        """End the session sid, if there is one."""
        with self.lock:
            self.by_id.pop(sid, None)
