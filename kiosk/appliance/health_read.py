"""Reading the kiosk's /health.json from outside the app: the screen supervisor, the touch rule, the updater."""

import json
import time
import urllib.request


def read(url, timeout=3.0):
    """Return the kiosk's health as a dict, or None when it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = json.load(response)
    except (OSError, ValueError):
        return None
    return body if isinstance(body, dict) else None


def wait_for(url, wanted, seconds, timeout=3.0):
    """Ask the health every second until wanted(body) is true or seconds are up; return that body, or None."""
    deadline = time.monotonic() + seconds
    while True:
        body = read(url, timeout)
        if body is not None and wanted(body):
            return body
        if time.monotonic() >= deadline:
            return None
        time.sleep(1)
