"""Who this kiosk is: its kiosk id and event id (kiosk.toml, else set by staff on 设置, else fixed at first start),
and its installation id, which no copy of the settings can share."""

import re
import secrets
import uuid
from contextlib import closing

from kiosk.db import connect, db_path

ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Letters and digits no one misreads on a screen or over the phone (no 0/o, 1/l/i).
READABLE = "abcdefghjkmnpqrstuvwxyz23456789"
KEYS = {"KIOSK_ID": "kiosk_id", "KIOSK_EVENT_ID": "event_id"}
INSTALL_KEY = "installation_id"
DEFAULT_EVENT = "event"


def new_kiosk_id():
    """Return a fresh readable kiosk id, e.g. kiosk-7hq3."""
    return "kiosk-" + "".join(secrets.choice(READABLE) for _ in range(4))


def read(db, key):
    """Return a value of the settings table, or None."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def write(db, key, value):
    """Store a value in the settings table and commit."""
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = ?", [key, value, value]
    )
    db.conn.commit()


def init_app(app):
    """Settle this kiosk's ids at start: generated and kept on the first start, never kiosk-1 on every PC."""
    fixed = {name for name in KEYS if app.config.get(name)}  # kiosk.toml or the environment: the page cannot
    with closing(connect(db_path(app))) as db:
        install = read(db, INSTALL_KEY)
        if not install:
            install = str(uuid.uuid4())
            write(db, INSTALL_KEY, install)
        app.config["KIOSK_INSTALLATION_ID"] = install
        for name, key in KEYS.items():
            if name in fixed:
                continue
            value = read(db, key)
            if not value:
                value = new_kiosk_id() if name == "KIOSK_ID" else DEFAULT_EVENT
                write(db, key, value)
            app.config[name] = value
