"""systemd's notify protocol for `Type=notify` with `WatchdogSec=`: READY=1 once the listeners are up, then
WATCHDOG=1 while the kiosk answers its own health check.

The protocol is one datagram on the socket in NOTIFY_SOCKET; python-systemd needs libsystemd's headers to
build and the small PyPI packages are unmaintained, so these few lines follow sd_notify(3) directly."""

import os
import socket
import threading
import urllib.request

HEALTH_TIMEOUT = 5.0


def notify(state, environ=None):
    """Send state (e.g. "READY=1") to systemd; return False when not run by systemd or the send failed."""
    address = (environ if environ is not None else os.environ).get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as s:
            s.connect(address)
            s.sendall(state.encode())
        return True
    except OSError:
        return False


def watchdog_interval(environ=None):
    """Return how often to send WATCHDOG=1 (half of WatchdogSec), or None when no watchdog is asked for."""
    environ = environ if environ is not None else os.environ
    pid = environ.get("WATCHDOG_PID")
    if pid and pid != str(os.getpid()):
        return None
    try:
        usec = int(environ.get("WATCHDOG_USEC", "0"))
    except ValueError:
        return None
    return usec / 2e6 if usec > 0 else None


def answers(url, timeout=HEALTH_TIMEOUT):
    """Return whether the kiosk answers its health URL with 200 in time."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def beat(health_url, environ=None):
    """Send one WATCHDOG=1 if the kiosk answers health_url, else a STATUS saying it does not; return which."""
    if answers(health_url):
        return notify("WATCHDOG=1", environ)
    notify("STATUS=展示端没有应答健康检查，等待看门狗重启", environ)
    return False


def start_watchdog(health_url, environ=None):
    """Start the heartbeat thread when systemd asked for a watchdog; return the thread or None.

    The beat goes through the screen's own listener, so a server whose workers are all stuck stops beating
    and systemd restarts it."""
    interval = watchdog_interval(environ)
    if interval is None:
        return None
    stop = threading.Event()

    def run():
        while not stop.wait(interval):
            beat(health_url, environ)

    thread = threading.Thread(target=run, name="systemd-watchdog", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
