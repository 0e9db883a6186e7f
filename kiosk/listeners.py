"""The kiosk's two listeners: the touchscreen's own on loopback, and the phones' with a cap per address."""

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

# A phone's browser opens about 6 connections to a host, a few more for video; 20 leaves room for a family
# sharing one address through a hotspot, and keeps one phone from taking the phones' listener (400).
CONNECTIONS_PER_ADDRESS = 20
PHONES_CONNECTION_LIMIT = 400
SCREEN_THREADS, SCREEN_CONNECTION_LIMIT = 2, 100


# The kiosk's own processes (benchmarks, tools, a browser started on the phones' port) are not capped.
UNCAPPED = ("127.0.0.1", "::1")


class CappedServer(TcpWSGIServer):
    """A waitress listener that closes a new connection from an address already holding its share."""

    per_address = CONNECTIONS_PER_ADDRESS

    def accept(self):
        """Accept the next connection unless its address is at its cap (then close it at once and skip it)."""
        accepted = super().accept()
        if accepted is None:
            return None
        conn, addr = accepted
        if addr[0] in UNCAPPED:
            return accepted
        held = sum(1 for ch in list(self._map.values()) if isinstance(ch, HTTPChannel) and ch.addr[0] == addr[0])
        if held >= self.per_address:
            conn.close()
            return None
        return accepted


def listener(app, host, port, threads, connection_limit, server_class=TcpWSGIServer, **options):
    """Return a waitress listener with threads and a connection map of its own."""
    adj = Adjustments(host=host, port=port, threads=threads, connection_limit=connection_limit, **options)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(threads)
    return server_class(app, {}, dispatcher=dispatcher, adj=adj, sockinfo=adj.listen[0])


def listeners(app, host, port, screen_port, threads):
    """Return (the phones' listener, capped per address, on host:port; the screen's own on 127.0.0.1:screen_port)."""
    common = {
        "ident": "",
        "channel_timeout": 60,
        "clear_untrusted_proxy_headers": True,
        # Refuse a body the app would refuse before waitress reads it, let alone spools it to disk.
        "max_request_body_size": app.config["MAX_CONTENT_LENGTH"],
    }
    phones = listener(app, host, port, threads, PHONES_CONNECTION_LIMIT, CappedServer, **common)
    screen = listener(app, "127.0.0.1", screen_port, SCREEN_THREADS, SCREEN_CONNECTION_LIMIT, **common)
    return phones, screen
