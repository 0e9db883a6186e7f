"""The kernel filter on the phones' listening socket: new connections from listed addresses go unanswered."""

import socket
from contextlib import closing, suppress

import pytest

from kiosk import syn_filter


def dial(source, port):
    """Connect from source (an address of this machine's loopback) and return the socket, or None if unanswered."""
    s = socket.socket()
    s.bind((source, 0))
    s.settimeout(0.5)
    try:
        s.connect(("127.0.0.1", port))
    except TimeoutError:
        s.close()
        return None
    return s


@pytest.fixture
def listening():
    """Return a listening socket on 127.0.0.1 and its port."""
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield s, s.getsockname()[1]


def test_listed_addresses_go_unanswered_and_others_connect(listening):
    sock, port = listening
    held = dial("127.0.0.2", port)
    assert held is not None
    assert syn_filter.apply(sock, ["127.0.0.2", "10.0.0.9"])
    assert dial("127.0.0.2", port) is None
    other = dial("127.0.0.3", port)
    assert other is not None
    accepted = [sock.accept()[0] for _ in range(2)]  # the connection held from before, and the other address's
    held.sendall(b"still here")
    assert b"still here" in b"".join(a.recv(64) for a in accepted if a.getpeername()[0] == "127.0.0.2")
    assert syn_filter.apply(sock, [])
    back = dial("127.0.0.2", port)
    assert back is not None
    for s in (held, other, back, *accepted):
        with suppress(OSError):
            s.close()


def test_ipv6_listeners_are_left_alone():
    with closing(socket.socket(socket.AF_INET6)) as s:
        assert syn_filter.apply(s, ["127.0.0.2"]) is False


def test_the_program_holds_a_thousand_addresses_at_most():
    addresses = [f"10.0.{i // 250}.{i % 250}" for i in range(1500)]
    assert len(syn_filter.program(addresses)) == 8 * (2 + 2 * syn_filter.MOST_ADDRESSES)
