"""The kiosk clock, read in one place: local time with its offset, as the contracts write times and dates."""

import datetime


def now():
    """Return the kiosk clock's time, aware of its offset."""
    return datetime.datetime.now().astimezone()


def timestamp():
    """Return the kiosk clock's time as RFC 3339 with its offset, to the second."""
    return now().isoformat(timespec="seconds")


def today():
    """Return the kiosk clock's date, as the contract's `YYYY-MM-DD`."""
    return datetime.date.today().isoformat()
