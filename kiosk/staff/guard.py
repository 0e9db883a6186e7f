"""Guessing the staff PIN: lockouts per address, a budget for the whole LAN with growing waits, one check at a time.

Every duration is on the monotonic clock, so setting the wall clock neither ends nor stretches a lockout."""

import threading

# The LAN together may get this many PINs wrong before each further one doubles the wait, from 1 s up to
# 15 min; an hour without a wrong PIN gives the allowance back. About 100 guesses a day from the whole LAN.
LAN_FREE_FAILURES = 10
LAN_FIRST_WAIT = 1
LAN_LONGEST_WAIT = 15 * 60
LAN_FORGIVE_AFTER = 60 * 60


class Failures:
    """Wrong PINs per client address, in memory; an address is locked out after too many."""

    def __init__(self):
        """Start with no failures."""
        self.lock = threading.Lock()
        self.by_address = {}

    def locked_for(self, address, at):
        """Return the seconds left of this address's lockout, or 0."""
        with self.lock:
            entry = self.by_address.get(address)
            return max(0, entry["until"] - at) if entry else 0

    def fail(self, address, at, max_failures, lockout_seconds):
        """Count a wrong PIN; return True when it starts a lockout."""
        with self.lock:
            self._forget_stale(at, lockout_seconds)
            entry = self.by_address.setdefault(address, {"count": 0, "until": 0, "last": at})
            entry["count"] += 1
            entry["last"] = at
            if entry["count"] >= max_failures:
                entry.update(count=0, until=at + lockout_seconds)
                return True
            return False

    def succeed(self, address):
        """Forget this address's failures after a correct PIN."""
        with self.lock:
            self.by_address.pop(address, None)

    def _forget_stale(self, at, lockout_seconds):
        """Drop addresses that are not locked and have not failed for a lockout's length."""
        stale = [a for a, e in self.by_address.items() if e["until"] <= at and at - e["last"] > lockout_seconds]
        for address in stale:
            del self.by_address[address]


class LanBudget:
    """Wrong PINs from the LAN, every address together: past a free allowance each one doubles the wait."""

    def __init__(self):
        """Start with the whole allowance."""
        self.lock = threading.Lock()
        self.failures, self.last, self.next_allowed = 0, None, 0

    def wait(self, at):
        """Return the seconds before the LAN may try a PIN again, or 0."""
        with self.lock:
            return max(0, self.next_allowed - at)

    def fail(self, at):
        """Count a wrong PIN from the LAN and set the wait before the next try."""
        with self.lock:
            if self.last is not None and at - self.last > LAN_FORGIVE_AFTER:
                self.failures = 0
            self.failures += 1
            self.last = at
            over = self.failures - LAN_FREE_FAILURES
            if over > 0:
                self.next_allowed = at + min(LAN_LONGEST_WAIT, LAN_FIRST_WAIT * 2 ** min(over - 1, 20))

    def succeed(self):
        """Give the allowance back after a right PIN."""
        with self.lock:
            self.failures, self.next_allowed = 0, 0


# One PIN check at a time: a hash costs a few hundred ms of CPU, and a flood must not take the kiosk's CPU from
# its visitors' pages (the server runs on one CPU).
PIN_CHECK = threading.Lock()
