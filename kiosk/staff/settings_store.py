"""What staff set on 设置: kept in the instance folder (the database; the token in a file of its own, mode 0600),
put under what the environment and kiosk.toml fix, and applied to the running app at once."""

import json
import os
import threading
from contextlib import closing
from pathlib import Path

from kiosk import identity, settings
from kiosk.db import connect, db_path
from kiosk.web.page_cache import drop_pages

# The settings the page edits, in the page's order.
PAGE_SETTINGS = (
    "KIOSK_ID",
    "KIOSK_NAME",
    "KIOSK_EVENT_ID",
    "KIOSK_EVENT_NAME",
    "KIOSK_PUBLIC_URL",
    "KIOSK_IDLE_SECONDS",
    "KIOSK_SCREEN_ROTATION",
    "KIOSK_OPEN_HOURS",
    "KIOSK_CENTRAL_URL",
    "KIOSK_CENTRAL_TOKEN",
)
TOKEN = "KIOSK_CENTRAL_TOKEN"
TOKEN_FILE = "central_token"
PREFIX = "setting:"  # the settings table's key of a value set on the page: setting:idle_seconds
IDS_ON_PAGE = "ids_set_on_page"  # the ids live under identity's keys; this notes which staff chose
LOCK = "kiosk.settings_lock"


def token_path(instance_path):
    """Return the file holding the central token staff set on the page."""
    return Path(instance_path) / TOKEN_FILE


def write_token(instance_path, token):
    """Keep the token readable by this user only (0600 from its creation), replacing the old one whole."""
    path = token_path(instance_path)
    part = path.with_name(TOKEN_FILE + ".part")
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token)
        f.flush()
        os.fsync(f.fileno())
    os.replace(part, path)


def read_token(instance_path):
    """Return the token staff set, or None."""
    try:
        return token_path(instance_path).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None


def ids_on_page(db):
    """Return the names of the ids staff chose on the page (the others were made at first start)."""
    return set(json.loads(identity.read(db, IDS_ON_PAGE) or "[]"))


def load(app, db):
    """Put the values staff set into app.config, where neither the environment nor kiosk.toml fixes them."""
    sources = app.extensions[settings.SOURCES]
    for name in ids_on_page(db):
        if not settings.is_fixed(app, name):
            sources[name] = "page"
    for key, raw in db.execute("SELECT key, value FROM settings WHERE key LIKE ?", [PREFIX + "%"]):
        setting = next((s for s in settings.SETTINGS if PREFIX + s.key == key), None)
        if setting and setting.name in PAGE_SETTINGS and not settings.is_fixed(app, setting.name):
            app.config[setting.name] = settings._typed(setting, json.loads(raw), "设置页")
            sources[setting.name] = "page"
    token = read_token(app.instance_path)
    if token and not settings.is_fixed(app, TOKEN):
        app.config[TOKEN] = token
        sources[TOKEN] = "page"


def save(app, db, values):
    """Keep the values staff saved and apply them to the running app at once; None goes back to the default.

    values: {name: value} of settings the page may change (not fixed); KIOSK_ID and KIOSK_EVENT_ID never None."""
    sources = app.extensions[settings.SOURCES]
    with app.extensions[LOCK]:
        ids = ids_on_page(db)
        with db.atomic():
            for name, value in values.items():
                setting = settings.BY_NAME[name]
                if name in identity.KEYS:
                    db.execute("DELETE FROM settings WHERE key = ?", [identity.KEYS[name]])
                    db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [identity.KEYS[name], value])
                    ids.add(name)
                elif name != TOKEN:
                    db.execute("DELETE FROM settings WHERE key = ?", [PREFIX + setting.key])
                    if value is not None:
                        db.execute(
                            "INSERT INTO settings (key, value) VALUES (?, ?)", [PREFIX + setting.key, json.dumps(value)]
                        )
            db.execute("DELETE FROM settings WHERE key = ?", [IDS_ON_PAGE])
            db.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [IDS_ON_PAGE, json.dumps(sorted(ids))])
        if TOKEN in values:
            if values[TOKEN] is None:
                token_path(app.instance_path).unlink(missing_ok=True)
            else:
                write_token(app.instance_path, values[TOKEN])
        for name, value in values.items():
            app.config[name] = settings.BY_NAME[name].default if value is None else value
            if value is None and name not in identity.KEYS:
                sources.pop(name, None)
            else:
                sources[name] = "page"
    # Cached visitor pages hold the idle time and QR codes of the address: they are made again.
    drop_pages(app)


def init_app(app):
    """Apply what staff set on the page over the defaults at start; give the app the lock saves take."""
    app.extensions[LOCK] = threading.Lock()
    with closing(connect(db_path(app))) as db:
        load(app, db)
