"""The address phones reach the kiosk at, for QR codes: KIOSK_PUBLIC_URL, else this machine's LAN address now."""

import ipaddress
import socket
import threading
import time

import psutil

# Looked up again this often: the PC may boot before its LAN, and a router restart may hand out a new lease.
RECHECK_SECONDS = 5
# Interfaces that are never the venue's LAN (containers, virtual machines).
NOT_THE_LAN = ("docker", "br-", "virbr", "lxc", "lo")

_lock = threading.Lock()
_last = {"at": None, "address": None}


def usable(address):
    """Return whether an IPv4 address could be reached by a phone (not loopback, unset or link-local)."""
    ip = ipaddress.ip_address(address)
    return not (ip.is_loopback or ip.is_unspecified or ip.is_link_local)


def route_address():
    """Return the address the kernel would send LAN traffic from, or None without a route."""
    # A UDP connect sends nothing; it only asks the kernel which interface would route there.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
        except OSError:
            return None
        address = s.getsockname()[0]
    return address if usable(address) else None


def interface_address():
    """Return the IPv4 address of an interface that is up, for a LAN without a default route; or None."""
    stats = psutil.net_if_stats()
    for name, addresses in sorted(psutil.net_if_addrs().items()):
        if name.startswith(NOT_THE_LAN) or not (stats.get(name) and stats[name].isup):
            continue
        for a in addresses:
            if a.family == socket.AF_INET and usable(a.address):
                return a.address
    return None


def lan_address():
    """Return this machine's current LAN IPv4 address, or None when it has none (looked up every few seconds)."""
    now = time.monotonic()
    with _lock:
        if _last["at"] is None or now - _last["at"] >= RECHECK_SECONDS:
            _last["address"] = route_address() or interface_address()
            _last["at"] = now
        return _last["address"]


def public_url(config):
    """Return the base URL phones reach the kiosk at, without a trailing slash (127.0.0.1 without a LAN)."""
    if config.get("KIOSK_PUBLIC_URL"):
        return config["KIOSK_PUBLIC_URL"].rstrip("/")
    return f"http://{lan_address() or '127.0.0.1'}:{config['KIOSK_PORT']}"


def phones_can_reach(config):
    """Return whether phones can reach the kiosk: an address is set, or the machine has a LAN address."""
    return bool(config.get("KIOSK_PUBLIC_URL")) or lan_address() is not None


NO_LAN_ADVICE = (
    "手机现在连不上本机：本机还没有局域网地址。请检查网线或 Wi-Fi 是否已连接、路由器是否已开机；"
    "连上后二维码会在几秒内自动改用新地址，无需重启。"
)
