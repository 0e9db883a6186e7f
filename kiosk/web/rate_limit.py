"""A per-client limit on submissions, kept in memory: a phone may send a few, a script may not flood."""
import threading
import time
from collections import defaultdict, deque

_hits = defaultdict(deque)
_lock = threading.Lock()


def retry_after(key, limit, window, clock=time.monotonic):
    """Record one attempt for key; return 0 when allowed, else seconds until the next is allowed."""
    now = clock()
    with _lock:
        hits = _hits[key]
        while hits and hits[0] <= now - window:
            hits.popleft()
        if len(hits) >= limit:
            return max(1, int(hits[0] + window - now + 0.999))
        hits.append(now)
        if len(_hits) > 10000:
            for stale in [k for k, v in _hits.items() if not v or v[-1] <= now - window]:
                del _hits[stale]
        return 0
