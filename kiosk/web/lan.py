"""The address phones reach the kiosk at, for QR codes: KIOSK_PUBLIC_URL, else this machine's LAN address."""

import functools
import socket


@functools.lru_cache(maxsize=1)
def lan_address():
    """Return this machine's LAN IPv4 address, or 127.0.0.1 when it has none."""
    # A UDP connect sends nothing; it only asks the kernel which interface would route there.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def public_url(config):
    """Return the base URL phones reach the kiosk at, without a trailing slash."""
    if config.get("KIOSK_PUBLIC_URL"):
        return config["KIOSK_PUBLIC_URL"].rstrip("/")
    return f"http://{lan_address()}:{config['KIOSK_PORT']}"
