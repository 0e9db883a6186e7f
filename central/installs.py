"""Which installations send under each kiosk id (the Kiosk-Install header, a bundle's KIOSK-INSTALL): two PCs
under one kiosk id would merge their figures and repeat receipt numbers, so central says so loudly."""

import logging
import re

from flask import current_app, request

from .db import get_db, utc_now, write_transaction

UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
log = logging.getLogger("central.installs")


def note(conn, kiosk_id, install, now):
    """Record that install sent under kiosk_id (inside the caller's transaction); return the other installs."""
    conn.execute(
        "INSERT INTO installs (kiosk_id, install, first_seen, last_seen) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (kiosk_id, install) DO UPDATE SET last_seen = excluded.last_seen",
        (kiosk_id, install, now, now),
    )
    rows = conn.execute(
        "SELECT install FROM installs WHERE kiosk_id = ? AND install != ? ORDER BY first_seen", (kiosk_id, install)
    )
    return [row[0] for row in rows]


def shared_warning(kiosk_id, install, others):
    """Return the warning for a kiosk id used by more than one installation."""
    return (
        f"警告 · WARNING: 本机编号 {kiosk_id} 被 {len(others) + 1} 台不同的安装共用"
        f"（{install[:8]} 与 {', '.join(o[:8] for o in others)}）：它们的使用统计会互相覆盖、回执编号会重复。"
        f"请给每台展示机设不同的本机编号 · two installations share kiosk id {kiosk_id}"
    )


def note_request():
    """Before a kiosk's request: note its Kiosk-Install header, and log a warning if its kiosk id is shared."""
    install = request.headers.get("Kiosk-Install", "").strip()
    kiosk_id = (request.view_args or {}).get("kiosk_id")
    if not kiosk_id or not UUID.fullmatch(install):
        return
    conn = get_db()
    with write_transaction(conn):
        others = note(conn, kiosk_id, install.lower(), utc_now())
    if others:
        current_app.logger.warning(shared_warning(kiosk_id, install, others))
