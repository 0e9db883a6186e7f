"""A kernel filter on a listening socket that drops new connections from some IPv4 addresses unanswered.

A phone over its share of connections is then refused by the kernel, at no cost to the kiosk's process, and
its own TCP stack backs off (it sends its SYN again after 1 s, 3 s, 7 s ...). Connections already accepted
keep the filter they were accepted under, so an address put on the list later keeps the ones it holds.

Written as a classic BPF socket filter (SO_ATTACH_FILTER): no Python package offers one, and the program is
four instruction kinds long. Linux only; elsewhere, or on an IPv6 listener, apply() says it did nothing.
"""

import ctypes
import ipaddress
import socket
import struct

SO_ATTACH_FILTER = getattr(socket, "SO_ATTACH_FILTER", 26)
# Classic BPF: load a 32-bit word of the IP header (relative to the network header), compare, return.
LOAD_WORD_AT, JUMP_IF_EQUAL, RETURN = 0x20, 0x15, 0x06
SOURCE_ADDRESS = (-0x100000 + 12) & 0xFFFFFFFF  # SKF_NET_OFF + the source address's offset in IPv4
KEEP, DROP = 0xFFFFFFFF, 0
# Two instructions per address; the kernel takes up to 4,096.
MOST_ADDRESSES = 1000


def program(addresses):
    """Return the filter's instructions: drop packets from any of addresses (IPv4 strings), keep the rest."""
    instructions = [(LOAD_WORD_AT, 0, 0, SOURCE_ADDRESS)]
    for address in sorted(addresses)[:MOST_ADDRESSES]:
        # equal: go on to the next instruction (drop); not equal: skip it, to the next address
        instructions += [(JUMP_IF_EQUAL, 0, 1, int(ipaddress.IPv4Address(address))), (RETURN, 0, 0, DROP)]
    instructions.append((RETURN, 0, 0, KEEP))
    return b"".join(struct.pack("HBBI", *i) for i in instructions)


def apply(listening_socket, addresses):
    """Make the kernel drop new connections from addresses on this socket; return whether it could."""
    if listening_socket.family != socket.AF_INET:
        return False
    try:
        addresses = [a for a in addresses if ipaddress.ip_address(a).version == 4]
        code = program(addresses)
        buffer = ctypes.create_string_buffer(code, len(code))  # kept alive until setsockopt has copied it
        fprog = struct.pack("HL", len(code) // 8, ctypes.addressof(buffer))
        listening_socket.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, fprog)
    except (OSError, ValueError):
        return False
    return True
