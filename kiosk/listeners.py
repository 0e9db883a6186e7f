"""The kiosk's two listeners: the touchscreen's own on loopback, and the phones' with a cap and deadlines."""

import socket
import struct
import time
from collections import Counter
from dataclasses import dataclass

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from kiosk import syn_filter

# A phone's browser opens about 6 connections to a host, a few more for video; 20 leaves room for a family
# sharing one address through a hotspot, and keeps one phone from taking the phones' listener (400).
CONNECTIONS_PER_ADDRESS = 20
PHONES_CONNECTION_LIMIT = 400
SCREEN_THREADS, SCREEN_CONNECTION_LIMIT = 2, 100

# The kiosk's own processes (benchmarks, tools, a browser started on the phones' port) are not capped.
UNCAPPED = ("127.0.0.1", "::1")
# Connections over their address's cap that one turn of the loop closes before it serves the others again.
REFUSALS_PER_TURN = 200
RESET = struct.pack("ii", 1, 0)


@dataclass(frozen=True)
class Deadlines:
    """How long, in seconds, a connection may stay idle, take to send one request, or leave a response unread."""

    idle: float
    request: float
    stalled: float
    # Count the request's time from its last byte rather than its first: a pack uploaded from the kiosk's own
    # browser (GBs read off a USB stick) takes minutes, and loopback has no slowloris to fear.
    request_while_moving: bool = False


# A phone sends a whole request (a suggestion is at most 128 KiB) in well under a second on working Wi-Fi;
# 10 s allows a bad signal and stops slowloris, which trickles a byte now and then to hold a connection.
# A browser simply reconnects after an idle close. A response counts as stalled only when no byte of it
# leaves in 30 s, so a slow video download goes on as long as it moves.
PHONES_DEADLINES = Deadlines(idle=10, request=10, stalled=30)
SCREEN_DEADLINES = Deadlines(idle=60, request=60, stalled=60, request_while_moving=True)


class TimedChannel(HTTPChannel):
    """A waitress connection that keeps its times on the monotonic clock and knows when its request began."""

    began = None  # monotonic time the request being received began, None between requests

    @property
    def last_activity(self):
        """The monotonic time of the connection's last byte in or out."""
        return self._heard

    @last_activity.setter
    def last_activity(self, _wall_time):
        # waitress stamps activity with the wall clock, which a kiosk's PC may step by years (issue 11)
        self._heard = time.monotonic()

    def received(self, data):
        """Receive bytes as waitress does, noting when a new request starts."""
        before = self.request
        result = super().received(data)
        if self.request is None:
            self.began = None
        elif self.request is not before:
            self.began = time.monotonic()
        return result

    def overdue(self, now, deadlines):
        """Whether the connection has outstayed its deadlines (a request the app is serving never has)."""
        if self.requests:
            return False
        if self.total_outbufs_len:
            return now - self.last_activity > deadlines.stalled
        if self.request is not None:
            return now - (self.last_activity if deadlines.request_while_moving else self.began) > deadlines.request
        return now - self.last_activity > deadlines.idle


class KioskServer(TcpWSGIServer):
    """A waitress listener with deadlines for its connections and, optionally, a cap per address."""

    channel_class = TimedChannel
    deadlines = SCREEN_DEADLINES
    per_address = None
    shut_out = frozenset()  # addresses whose new connections the kernel drops (kiosk/syn_filter.py)
    filtering = True  # False once the kernel filter could not be set (not Linux, an IPv6 listener)

    def accept(self):
        """Accept the next connection whose address is under its cap; close the others at once, up to a batch,
        and have the kernel drop the next ones from those addresses until they are under their cap again.

        waitress accepts one connection per turn of its loop; a phone reconnecting as fast as it can would
        then cost a whole turn per connection, and the others wait behind it in the kernel's queue."""
        if self.per_address is None:
            return super().accept()
        held = self.held()
        refused, result = set(), None
        for _ in range(REFUSALS_PER_TURN):
            accepted = super().accept()
            if accepted is None:
                break
            conn, addr = accepted
            if addr[0] in UNCAPPED or held[addr[0]] < self.per_address:
                result = accepted
                break
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, RESET)  # a reset: no closing handshake to keep
            conn.close()
            refused.add(addr[0])
        if refused - self.shut_out:
            self.shut_out_only(self.shut_out | refused)
        return result

    def held(self):
        """Return how many connections each address holds."""
        return Counter(channel.addr[0] for channel in list(self.active_channels.values()))

    def shut_out_only(self, addresses):
        """Have the kernel drop new connections from these addresses (and no others), where it can."""
        if self.filtering and syn_filter.apply(self.socket, addresses):
            self.shut_out = frozenset(addresses)
        else:
            self.filtering = False  # refused one by one above, as before

    def maintenance(self, now):
        """Close the connections past their deadlines (waitress's own check uses the wall clock); let in again
        the addresses back under their cap."""
        clock = time.monotonic()
        for channel in list(self.active_channels.values()):
            if channel.overdue(clock, self.deadlines):
                channel.will_close = True
        if self.shut_out:
            held = self.held()
            still = {address for address in self.shut_out if held[address] >= self.per_address}
            if still != self.shut_out:
                self.shut_out_only(still)


class PhonesServer(KioskServer):
    """The phones' listener: a share of connections per address and short deadlines."""

    deadlines = PHONES_DEADLINES
    per_address = CONNECTIONS_PER_ADDRESS


def listener(app, host, port, threads, connection_limit, server_class=KioskServer, **options):
    """Return a waitress listener with threads and a connection map of its own."""
    adj = Adjustments(host=host, port=port, threads=threads, connection_limit=connection_limit, **options)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(threads)
    return server_class(app, {}, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0])


def listeners(app, host, port, screen_port, threads):
    """Return (the phones' listener, capped per address, on host:port; the screen's own on 127.0.0.1:screen_port)."""
    common = {
        "ident": "",
        "clear_untrusted_proxy_headers": True,
        # Deadlines are checked every second; poll() rather than select(), which stops at 1,024 descriptors.
        "cleanup_interval": 1,
        "asyncore_use_poll": True,
    }
    # Phones: refuse a body the app would refuse before waitress reads it, let alone spools it to disk. The
    # screen (loopback only) also takes a pack uploaded on 内容包, as large as a pack may be; waitress has one
    # limit per listener, and the app keeps its 128 KB for every route but that upload (kiosk/staff/pack_upload.py).
    phones_body = app.config["MAX_CONTENT_LENGTH"]
    screen_body = max(phones_body, app.config["KIOSK_PACK_MAX_UNPACKED_BYTES"])
    phones = listener(
        app, host, port, threads, PHONES_CONNECTION_LIMIT, PhonesServer, max_request_body_size=phones_body, **common
    )
    screen = listener(
        app,
        "127.0.0.1",
        screen_port,
        SCREEN_THREADS,
        SCREEN_CONNECTION_LIMIT,
        max_request_body_size=screen_body,
        **common,
    )
    return phones, screen
